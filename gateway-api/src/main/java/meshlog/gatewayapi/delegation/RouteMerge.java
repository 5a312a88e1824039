package meshlog.gatewayapi.delegation;

import java.util.ArrayList;
import java.util.List;
import meshlog.gatewayapi.Hosts;
import meshlog.gatewayapi.model.VirtualService.Destination;
import meshlog.gatewayapi.model.VirtualService.HttpMatch;
import meshlog.gatewayapi.model.VirtualService.HttpRoute;
import meshlog.gatewayapi.model.VirtualService.MirrorPolicy;
import meshlog.gatewayapi.model.VirtualService.RouteDestination;

/**
 * One delegate route merged with the route delegating to it, by Istio's rules ({@code mergeHTTPRoute} in
 * {@code pilot/pkg/model/virtualservice.go}, its tests in {@code virtualservice_test.go}).
 *
 * <ul>
 *   <li>Matches ({@link MatchMerge}): with no root match the delegate's are kept, with no delegate match the
 *       root's; otherwise every delegate entry is merged with every root entry it does not conflict with, and a
 *       delegate entry that fits none drops the whole delegate route.</li>
 *   <li>Name: the delegate's, prefixed {@code <root name>-} when both have one.</li>
 *   <li>What the delegate route does not set it takes from the root route: {@code rewrite}, {@code directResponse},
 *       {@code timeout}, {@code retries}, {@code fault}, {@code mirror}, {@code mirrorPercent},
 *       {@code mirrorPercentage}, {@code corsPolicy}, {@code mirrors}, {@code headers}. Destinations and
 *       {@code redirect} are the delegate's only.</li>
 * </ul>
 */
final class RouteMerge {

    private RouteMerge() {
    }

    /** @return null when the delegate route's match conflicts with the root's (Istio drops that route) */
    static HttpRoute merge(HttpRoute root, HttpRoute delegate) {
        List<HttpMatch> match = MatchMerge.mergeAll(root.match(), delegate.match());
        if (match == null) {
            return null;
        }
        return new HttpRoute(joined(root.name(), delegate.name()), match, delegate.route(), delegate.redirect(),
                or(delegate.directResponse(), root.directResponse()), null, or(delegate.rewrite(), root.rewrite()),
                or(delegate.timeout(), root.timeout()), or(delegate.retries(), root.retries()),
                or(delegate.fault(), root.fault()), or(delegate.mirror(), root.mirror()),
                delegate.mirrors().isEmpty() ? root.mirrors() : delegate.mirrors(),
                or(delegate.mirrorPercentage(), root.mirrorPercentage()),
                or(delegate.mirrorPercent(), root.mirrorPercent()), or(delegate.corsPolicy(), root.corsPolicy()),
                or(delegate.headers(), root.headers()));
    }

    /** Istio's naming of merged routes and match entries: {@code root-delegate}, or whichever is set. */
    static String joined(String root, String delegate) {
        if (delegate.isEmpty()) {
            return root;
        }
        return root.isEmpty() ? delegate : root + "-" + delegate;
    }

    private static <T> T or(T first, T second) {
        return first != null ? first : second;
    }

    /**
     * {@code route} with its destination and mirror hosts fully qualified in {@code namespace} and its match
     * gateways as {@code namespace/name}, as Istio resolves every VirtualService before merging, so a merged
     * route means what each part meant where it was written.
     */
    static HttpRoute qualified(HttpRoute r, String namespace) {
        List<RouteDestination> route = new ArrayList<>();
        r.route().forEach(d -> route.add(new RouteDestination(qualified(d.destination(), namespace), d.weight(),
                d.headers())));
        List<MirrorPolicy> mirrors = new ArrayList<>();
        r.mirrors().forEach(m -> mirrors.add(new MirrorPolicy(qualified(m.destination(), namespace),
                m.percentage())));
        List<HttpMatch> match = new ArrayList<>();
        r.match().forEach(m -> match.add(MatchMerge.withGateways(m, gateways(m.gateways(), namespace))));
        return new HttpRoute(r.name(), match, route, r.redirect(), r.directResponse(), r.delegate(), r.rewrite(),
                r.timeout(), r.retries(), r.fault(), qualified(r.mirror(), namespace), mirrors, r.mirrorPercentage(),
                r.mirrorPercent(), r.corsPolicy(), r.headers());
    }

    private static Destination qualified(Destination d, String namespace) {
        return d == null ? null : new Destination(Hosts.fqdn(d.host(), namespace), d.subset(), d.port());
    }

    /** Istio's {@code resolveGatewayName}: {@code mesh} stays; else {@code ns/name}. */
    static List<String> gateways(List<String> names, String namespace) {
        List<String> out = new ArrayList<>();
        for (String g : names) {
            int slash = g.indexOf('/');
            int dot = g.indexOf('.');
            if (g.equals("mesh")) {
                out.add(g);
            } else if (slash >= 0) {
                out.add(g.startsWith("./") ? namespace + g.substring(1) : g);
            } else if (dot >= 0) {
                String rest = g.substring(dot + 1);
                int next = rest.indexOf('.');
                out.add((next < 0 ? rest : rest.substring(0, next)) + "/" + g.substring(0, dot));
            } else {
                out.add(namespace + "/" + g);
            }
        }
        return out;
    }
}
