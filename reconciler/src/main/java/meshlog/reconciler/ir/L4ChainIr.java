package meshlog.reconciler.ir;

import java.util.List;

/**
 * One filter chain of a TCP or TLS listener: the connections it takes, and the backends it proxies them to
 * (tcp_proxy, TLS not terminated). Empty conditions match anything; a chain with none takes what no other takes.
 *
 * @param serverNames the TLS SNI names it takes (VirtualService {@code tls[].match[].sniHosts}, or the service
 *                    host); empty for any (or no) SNI
 * @param destinationPrefixes IPs or CIDRs of the connection's destination ({@code destinationSubnets})
 * @param sourcePrefixes IPs or CIDRs of the connection's source ({@code tcp[].match[].sourceSubnet})
 * @param backends one, or several with weights above 0 (tcp_proxy's weighted clusters)
 * @param statPrefix tcp_proxy's stat prefix
 */
public record L4ChainIr(List<String> serverNames, List<String> destinationPrefixes, List<String> sourcePrefixes,
                        List<WeightedBackendIr> backends, String statPrefix) {
    public L4ChainIr {
        serverNames = List.copyOf(serverNames);
        destinationPrefixes = List.copyOf(destinationPrefixes);
        sourcePrefixes = List.copyOf(sourcePrefixes);
        backends = List.copyOf(backends);
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("a filter chain needs a backend");
        }
    }

    /** Whether the chain has no condition. */
    public boolean matchesAll() {
        return serverNames.isEmpty() && destinationPrefixes.isEmpty() && sourcePrefixes.isEmpty();
    }

    /** What Envoy tells chains apart by; two chains of one listener with equal matches are a NACK. */
    public List<List<String>> matchKey() {
        return List.of(serverNames.stream().sorted().toList(), destinationPrefixes.stream().sorted().toList(),
                sourcePrefixes.stream().sorted().toList());
    }
}
