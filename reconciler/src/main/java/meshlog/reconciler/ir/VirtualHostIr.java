package meshlog.reconciler.ir;

import java.util.List;

/**
 * The routes for one set of authorities (domains) within a route table.
 *
 * @param name {@code <host>:<port>} as Istio names it, or {@code allow_any}
 * @param domains the authorities it answers for, in Istio's order
 * @param routes in order; may be empty when every route was skipped (calls then fail as unroutable)
 */
public record VirtualHostIr(String name, List<String> domains, List<RouteIr> routes) {
    public VirtualHostIr {
        domains = List.copyOf(domains);
        routes = List.copyOf(routes);
    }
}
