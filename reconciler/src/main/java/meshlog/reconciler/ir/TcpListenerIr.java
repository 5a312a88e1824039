package meshlog.reconciler.ir;

import java.util.List;

/**
 * An Envoy socket listener proxying TCP connections (TLS passed through, not terminated) to clusters, as Istio
 * serves TCP and TLS service ports to a sidecar: one filter chain per route match, chosen by the connection's SNI
 * and addresses.
 *
 * @param name {@code <address>_<port>}: the service's VIP, else {@code 0.0.0.0} (captured) or {@code 127.0.0.1}
 * @param bindToPort false when iptables redirects traffic to {@code virtualOutbound}
 * @param chains in order, no two with the same match; one matching everything, if any, becomes Envoy's default
 *               filter chain when there are others (a connection matching part of a chain's conditions then still
 *               falls back to it, Istio's fix for istio/istio#26079)
 * @param fallbackCluster where a connection no chain takes goes when no chain matches everything
 *                        ({@code PassthroughCluster} when traffic is captured); null to close it
 */
public record TcpListenerIr(String name, String address, int port, boolean bindToPort, List<L4ChainIr> chains,
                            String fallbackCluster) implements ListenerIr {
    public TcpListenerIr {
        chains = List.copyOf(chains);
        if (chains.isEmpty()) {
            throw new IllegalArgumentException("a TCP listener needs a filter chain");
        }
    }

    /** The chain that matches every connection, or null. */
    public L4ChainIr matchAll() {
        return chains.stream().filter(L4ChainIr::matchesAll).findFirst().orElse(null);
    }

    /** Whether a chain is chosen by SNI, so the listener must read the TLS ClientHello first (tls_inspector). */
    public boolean inspectsTls() {
        return chains.stream().anyMatch(c -> !c.serverNames().isEmpty());
    }
}
