package meshlog.reconciler.ir;

import java.util.List;

/**
 * The routes of one service port, tried in order; the first that matches decides.
 *
 * @param domains the authorities this table answers for ({@code <host>} and {@code <host>:<port>})
 * @param routes in order; may be empty when every route was skipped (calls then fail as unroutable)
 */
public record RouteTableIr(String name, List<String> domains, List<RouteIr> routes) {
    public RouteTableIr {
        domains = List.copyOf(domains);
        routes = List.copyOf(routes);
    }
}
