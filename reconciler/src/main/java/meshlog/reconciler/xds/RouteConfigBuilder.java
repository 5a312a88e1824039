package meshlog.reconciler.xds;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import meshlog.reconciler.ir.HeaderMatchIr;
import meshlog.reconciler.ir.RouteIr;
import meshlog.reconciler.ir.RouteActionIr;
import meshlog.reconciler.ir.RoutePolicyIr;
import meshlog.reconciler.ir.RouteTableIr;
import meshlog.reconciler.ir.VirtualHostIr;
import meshlog.reconciler.ir.TextMatchIr;
import meshlog.reconciler.ir.WeightedBackendIr;

/** A route table as a RouteConfiguration: its virtual hosts in order, each with its routes in order. */
final class RouteConfigBuilder {

    private RouteConfigBuilder() {
    }

    static RouteConfiguration build(RouteTableIr ir) {
        RouteConfiguration.Builder rc = RouteConfiguration.newBuilder().setName(ir.name());
        for (VirtualHostIr host : ir.virtualHosts()) {
            VirtualHost.Builder vh = VirtualHost.newBuilder().setName(host.name()).addAllDomains(host.domains());
            host.routes().forEach(r -> vh.addRoutes(route(r)));
            rc.addVirtualHosts(vh);
        }
        return rc.build();
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
        RouteAction.Builder action = RouteAction.newBuilder();
        if (ir.action() instanceof RouteActionIr.ToCluster to) {
            action.setCluster(to.cluster());
        } else if (ir.action() instanceof RouteActionIr.Forward forward) {
            forward(forward, action);
        } else {
            throw new AssertionError(ir.action());
        }
        policy(ir.policy(), action);
        return action.build();
    }

    private static void forward(RouteActionIr.Forward forward, RouteAction.Builder action) {
        if (forward.backends().size() == 1) {
            action.setCluster(forward.backends().get(0).backend().clusterName());
            return;
        }
        WeightedCluster.Builder wc = WeightedCluster.newBuilder();
        for (WeightedBackendIr b : forward.backends()) {
            wc.addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(b.backend().clusterName())
                    .setWeight(UInt32Value.of(b.weight())));
        }
        action.setWeightedClusters(wc);
    }

    /** Timeout and retries as Istio writes them: retries avoid the hosts already tried. */
    private static void policy(RoutePolicyIr policy, RouteAction.Builder action) {
        if (policy.timeout() != null) {
            action.setTimeout(Protos.duration(policy.timeout()));
        }
        RoutePolicyIr.RetryIr retry = policy.retry();
        if (retry == null) {
            return;
        }
        RetryPolicy.Builder rp = RetryPolicy.newBuilder().setRetryOn(retry.retryOn())
                .setNumRetries(UInt32Value.of(retry.attempts()))
                .addRetryHostPredicate(RetryPolicy.RetryHostPredicate.newBuilder()
                        .setName("envoy.retry_host_predicates.previous_hosts")
                        .setTypedConfig(Protos.pack(PreviousHostsPredicate.getDefaultInstance())))
                .setHostSelectionRetryMaxAttempts(5)
                .addAllRetriableStatusCodes(retry.retriableStatusCodes());
        if (retry.perTryTimeout() != null) {
            rp.setPerTryTimeout(Protos.duration(retry.perTryTimeout()));
        }
        action.setRetryPolicy(rp);
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
