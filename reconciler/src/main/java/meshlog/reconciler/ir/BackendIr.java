package meshlog.reconciler.ir;

import java.util.List;

/**
 * A set of endpoints traffic can be sent to, grouped by locality.
 *
 * @param localities sorted by priority, then locality; empty when nothing serves the backend yet
 * @param http2 whether an Envoy sidecar must speak HTTP/2 to the endpoints (the port's protocol is GRPC or
 *              HTTP2); proxyless gRPC clients always do
 */
public record BackendIr(BackendRef ref, List<LocalityGroupIr> localities, boolean http2) implements ClusterIr {
    public BackendIr {
        localities = List.copyOf(localities);
    }

    public BackendIr(BackendRef ref, List<LocalityGroupIr> localities) {
        this(ref, localities, false);
    }

    public BackendIr withHttp2(boolean on) {
        return new BackendIr(ref, localities, on);
    }

    @Override
    public String name() {
        return ref.clusterName();
    }
}
