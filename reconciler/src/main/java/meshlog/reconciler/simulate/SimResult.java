package meshlog.reconciler.simulate;

import java.util.List;

/**
 * Where a {@link SimRequest} went: the listener (and, for a captured connection, the listener that handed it over,
 * {@code virtualOutbound}), the filter chain (its name, else {@code filter_chains[i]} or {@code default_filter_chain}),
 * for HTTP the route configuration, virtual host and route (its name, else {@code routes[i]}), and the outcome: the
 * cluster(s) with weights, a direct response, a redirect, or no route with the reason. Fields past the point where
 * the request stopped are null.
 */
public record SimResult(String handedOffBy, String listener, String filterChain, String routeConfig,
                        String virtualHost, String route, List<WeightedCluster> clusters,
                        DirectResponse directResponse, Redirect redirect, String noRoute) {

    /** What happened to the request. */
    public enum Outcome { CLUSTER, DIRECT_RESPONSE, REDIRECT, NO_ROUTE }

    /** One cluster of a route or tcp_proxy; weight 1 for a single cluster. */
    public record WeightedCluster(String name, int weight) {
    }

    /** A route's direct_response: status and inline body (null if none). */
    public record DirectResponse(int status, String body) {
    }

    /** A route's redirect as the client would see it: status and the Location's parts after rewriting. */
    public record Redirect(int status, String scheme, String host, int port, String path) {
    }

    public SimResult {
        clusters = clusters == null ? List.of() : List.copyOf(clusters);
    }

    public Outcome outcome() {
        if (noRoute != null) {
            return Outcome.NO_ROUTE;
        } else if (directResponse != null) {
            return Outcome.DIRECT_RESPONSE;
        } else if (redirect != null) {
            return Outcome.REDIRECT;
        }
        return Outcome.CLUSTER;
    }

    /** The one cluster the request goes to; null when there is none or a weighted split. */
    public String cluster() {
        return clusters.size() == 1 ? clusters.get(0).name() : null;
    }

    static SimResult none(String handedOffBy, String listener, String chain, String reason) {
        return new SimResult(handedOffBy, listener, chain, null, null, null, null, null, null, reason);
    }
}
