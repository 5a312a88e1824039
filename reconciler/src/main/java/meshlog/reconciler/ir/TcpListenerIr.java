package meshlog.reconciler.ir;

import java.util.List;

/**
 * An Envoy socket listener proxying TCP connections (TLS passed through, not terminated) to clusters, as Istio
 * serves TCP and TLS service ports to a sidecar: one filter chain per route match, chosen by the connection's SNI
 * and addresses.
 *
 * @param name {@code <address>_<port>}: the service's VIP, else {@code 0.0.0.0} (captured) or {@code 127.0.0.1}
 * @param bindToPort false when iptables redirects traffic to {@code virtualOutbound}
 * @param chains in order, no two with the same match
 */
public record TcpListenerIr(String name, String address, int port, boolean bindToPort, List<L4ChainIr> chains)
        implements ListenerIr {
    public TcpListenerIr {
        chains = List.copyOf(chains);
        if (chains.isEmpty()) {
            throw new IllegalArgumentException("a TCP listener needs a filter chain");
        }
    }

    /** Whether a chain is chosen by SNI, so the listener must read the TLS ClientHello first (tls_inspector). */
    public boolean inspectsTls() {
        return chains.stream().anyMatch(c -> !c.serverNames().isEmpty());
    }
}
