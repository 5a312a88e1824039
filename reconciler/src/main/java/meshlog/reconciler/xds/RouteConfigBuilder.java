package meshlog.reconciler.xds;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import meshlog.reconciler.ir.HeaderMatchIr;
import meshlog.reconciler.ir.RouteIr;
import meshlog.reconciler.ir.RouteTableIr;
import meshlog.reconciler.ir.TextMatchIr;
import meshlog.reconciler.ir.WeightedBackendIr;

/** A route table as a RouteConfiguration with one virtual host of the same name. */
final class RouteConfigBuilder {

    private RouteConfigBuilder() {
    }

    static RouteConfiguration build(RouteTableIr ir) {
        VirtualHost.Builder vh = VirtualHost.newBuilder().setName(ir.name()).addAllDomains(ir.domains());
        ir.routes().forEach(r -> vh.addRoutes(route(r)));
        return RouteConfiguration.newBuilder().setName(ir.name()).addVirtualHosts(vh).build();
    }

    private static Route route(RouteIr ir) {
        RouteMatch.Builder match = RouteMatch.newBuilder();
        TextMatchIr path = ir.path();
        switch (path.kind()) {
            case EXACT -> match.setPath(path.value());
            case PREFIX -> match.setPrefix(path.value());
            case REGEX -> match.setSafeRegex(regex(path.value()));
            default -> throw new IllegalArgumentException(path.kind().name());
        }
        for (HeaderMatchIr h : ir.headers()) {
            match.addHeaders(HeaderMatcher.newBuilder().setName(h.name()).setStringMatch(string(h.match())));
        }
        return Route.newBuilder().setName(ir.name()).setMatch(match).setRoute(action(ir)).build();
    }

    private static RouteAction action(RouteIr ir) {
        if (ir.backends().size() == 1) {
            return RouteAction.newBuilder().setCluster(ir.backends().get(0).backend().clusterName()).build();
        }
        WeightedCluster.Builder wc = WeightedCluster.newBuilder();
        for (WeightedBackendIr b : ir.backends()) {
            wc.addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(b.backend().clusterName())
                    .setWeight(UInt32Value.of(b.weight())));
        }
        return RouteAction.newBuilder().setWeightedClusters(wc).build();
    }

    private static StringMatcher string(TextMatchIr m) {
        return switch (m.kind()) {
            case EXACT -> StringMatcher.newBuilder().setExact(m.value()).build();
            case PREFIX -> StringMatcher.newBuilder().setPrefix(m.value()).build();
            case REGEX -> StringMatcher.newBuilder().setSafeRegex(regex(m.value())).build();
        };
    }

    @SuppressWarnings("deprecation") // google_re2 is deprecated in Envoy, yet older clients still expect it
    private static RegexMatcher regex(String re) {
        return RegexMatcher.newBuilder().setGoogleRe2(RegexMatcher.GoogleRE2.getDefaultInstance()).setRegex(re)
                .build();
    }
}
