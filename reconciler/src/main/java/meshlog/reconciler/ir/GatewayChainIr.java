package meshlog.reconciler.ir;

import java.util.List;

/** One filter chain of a {@link GatewayListenerIr}: HTTP (plain or TLS-terminated), or TLS passed through by SNI. */
public sealed interface GatewayChainIr {

    /** The SNI names the chain takes; empty for any (or no) SNI. */
    List<String> serverNames();

    /**
     * HTTP from one Gateway server: the HttpConnectionManager takes its routes from {@code routeTable} (RDS).
     *
     * @param tls how TLS is terminated; null for plain-text HTTP
     * @param routeTable {@code http.<port>} or {@code https.<port>.<portName>.<gateway>.<namespace>}, as Istio
     * @param statPrefix Envoy's stat prefix of the HttpConnectionManager
     * @param httpFilters in order, the router last
     */
    record Http(List<String> serverNames, ServerTlsIr tls, String routeTable, String statPrefix,
                List<HttpFilterIr> httpFilters) implements GatewayChainIr {
        public Http {
            serverNames = List.copyOf(serverNames);
            httpFilters = HttpFilterIr.checked(httpFilters);
        }
    }

    /** TLS passed through to backends by SNI (a PASSTHROUGH server's VirtualService {@code tls[]} routes). */
    record Passthrough(L4ChainIr chain) implements GatewayChainIr {
        @Override
        public List<String> serverNames() {
            return chain.serverNames();
        }
    }
}
