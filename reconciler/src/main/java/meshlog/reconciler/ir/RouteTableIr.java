package meshlog.reconciler.ir;

import java.util.List;

/**
 * A route configuration (RDS): virtual hosts chosen by the request's authority, then the first matching route.
 *
 * @param name {@code <host>:<port>} for proxyless gRPC, {@code <port>} for an Envoy sidecar's outbound port
 */
public record RouteTableIr(String name, List<VirtualHostIr> virtualHosts) {
    public RouteTableIr {
        virtualHosts = List.copyOf(virtualHosts);
    }
}
