package meshlog.reconciler.ir;

import java.util.List;

/**
 * What a proxyless gRPC client dialing {@code xds:///<name>} finds: an API listener (no socket) whose HTTP filters
 * run before the route table decides where each call goes.
 *
 * @param name {@code <host>:<port>}
 * @param routeTable the name of a {@link RouteTableIr}
 * @param httpFilters in order, the router last
 */
public record ApiListenerIr(String name, String routeTable, List<HttpFilterIr> httpFilters) implements ListenerIr {
    public ApiListenerIr {
        httpFilters = HttpFilterIr.checked(httpFilters);
    }
}
