package meshlog.reconciler.ir;

import java.util.List;

/**
 * An Envoy gateway's listener for one server port ({@code 0.0.0.0_<port>}, bound by the gateway itself): one
 * filter chain per server that terminates or serves HTTP, and one per SNI match of a passed-through server.
 *
 * @param address the address bound, {@code 0.0.0.0} as Istio's gateways
 * @param chains in order; no two with the same server names (Envoy would refuse the listener)
 */
public record GatewayListenerIr(String name, String address, int port, List<GatewayChainIr> chains) implements ListenerIr {
    public GatewayListenerIr {
        chains = List.copyOf(chains);
        if (chains.isEmpty()) {
            throw new IllegalArgumentException("a gateway listener needs a filter chain");
        }
    }

    /** Whether a chain is chosen by SNI, so the listener must read the TLS ClientHello first (tls_inspector). */
    public boolean inspectsTls() {
        return chains.stream().anyMatch(c -> !c.serverNames().isEmpty() || c instanceof GatewayChainIr.Http h
                && h.tls() != null);
    }
}
