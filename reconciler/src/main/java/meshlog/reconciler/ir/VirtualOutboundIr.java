package meshlog.reconciler.ir;

/**
 * Istio's {@code virtualOutbound}: the port iptables redirects outbound connections to. It hands each connection to
 * the listener of its original destination ({@code use_original_dst}); a destination no listener has goes to
 * {@code fallbackCluster} ({@code PassthroughCluster} with outbound policy ALLOW_ANY, {@code BlackHoleCluster}
 * with REGISTRY_ONLY).
 */
public record VirtualOutboundIr(String name, int port, String fallbackCluster) implements ListenerIr {

    /** Istio's name and port. */
    public static VirtualOutboundIr of(String fallbackCluster) {
        return new VirtualOutboundIr("virtualOutbound", 15001, fallbackCluster);
    }
}
