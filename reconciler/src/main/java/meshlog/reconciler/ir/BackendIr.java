package meshlog.reconciler.ir;

import java.util.List;

/**
 * A set of endpoints traffic can be sent to, grouped by locality.
 *
 * @param localities sorted by priority, then locality; empty when nothing serves the backend yet
 * @param policy from the DestinationRule, with the proxy kind's defaults filled in by its layout
 * @param http2 whether an Envoy sidecar must speak HTTP/2 to the endpoints (the port's protocol is GRPC or
 *              HTTP2); proxyless gRPC clients always do
 * @param source how the proxy finds the endpoints: over EDS, by DNS (the localities are then inline in the
 *               cluster, addresses possibly host names), or the connection's original destination (no localities)
 */
public record BackendIr(BackendRef ref, List<LocalityGroupIr> localities, boolean http2, ClusterPolicyIr policy,
                        EndpointSource source) implements ClusterIr {
    public BackendIr {
        localities = List.copyOf(localities);
        policy = policy == null ? ClusterPolicyIr.UNSET : policy;
        source = source == null ? EndpointSource.EDS : source;
    }

    public BackendIr(BackendRef ref, List<LocalityGroupIr> localities, boolean http2, ClusterPolicyIr policy) {
        this(ref, localities, http2, policy, EndpointSource.EDS);
    }

    public BackendIr(BackendRef ref, List<LocalityGroupIr> localities) {
        this(ref, localities, false, ClusterPolicyIr.UNSET);
    }

    public BackendIr withHttp2(boolean on) {
        return new BackendIr(ref, localities, on, policy, source);
    }

    public BackendIr withPolicy(ClusterPolicyIr p) {
        return new BackendIr(ref, localities, http2, p, source);
    }

    @Override
    public String name() {
        return ref.clusterName();
    }
}
