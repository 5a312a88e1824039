package meshlog.reconciler.ir;

import java.util.List;

/**
 * Istio's {@code virtualInbound}: the port iptables redirects connections to the workload to (15006). An
 * original_dst listener filter restores each connection's destination; a chain per workload port matches it by
 * destination port; traffic to any other port goes to {@code passthroughCluster} (its original destination), and
 * traffic addressed to 15006 itself to {@code BlackHoleCluster} (it would loop).
 *
 * @param chains sorted by port, at most one per port
 * @param passthroughMtls what ports no chain names accept: the workload's mode, as Istio's pass-through chains
 */
public record VirtualInboundIr(String name, int port, List<InboundChainIr> chains, String passthroughCluster,
                               String blackHoleCluster, InboundTlsIr.Mode passthroughMtls) implements ListenerIr {
    public VirtualInboundIr {
        chains = List.copyOf(chains);
    }

    /** Istio's name and port; PERMISSIVE, Istio's default. */
    public static VirtualInboundIr of(List<InboundChainIr> chains) {
        return new VirtualInboundIr("virtualInbound", 15006, chains, InboundClusterIr.PASSTHROUGH_NAME,
                BlackHoleClusterIr.INSTANCE.name(), InboundTlsIr.Mode.PERMISSIVE);
    }

    /** The same listener with {@code other} chains. */
    public VirtualInboundIr withChains(List<InboundChainIr> other) {
        return new VirtualInboundIr(name, port, other, passthroughCluster, blackHoleCluster, passthroughMtls);
    }
}
