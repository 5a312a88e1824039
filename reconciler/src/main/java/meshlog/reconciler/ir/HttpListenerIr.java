package meshlog.reconciler.ir;

import java.util.List;

/**
 * An Envoy socket listener for the HTTP services of one port, as Istio lays out a sidecar's outbound side.
 *
 * @param name {@code <address>_<port>}, e.g. {@code 0.0.0.0_9080}
 * @param address the address the listener is for ({@code 0.0.0.0} when traffic is captured, {@code 127.0.0.1} when
 *                the proxy binds its ports itself)
 * @param bindToPort false when iptables redirects traffic to {@code virtualOutbound}, which hands each connection to
 *                   the listener of its original destination port
 * @param routeTable the name of the {@link RouteTableIr} (RDS), {@code <port>}
 * @param httpFilters in order, the router last
 * @param statPrefix Envoy's stat prefix, {@code outbound_<address>_<port>} as Istio's
 */
public record HttpListenerIr(String name, String address, int port, boolean bindToPort, String routeTable,
                             List<HttpFilterIr> httpFilters, String statPrefix) implements ListenerIr {
    public HttpListenerIr {
        httpFilters = HttpFilterIr.checked(httpFilters);
    }
}
