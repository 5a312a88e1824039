package meshlog.reconciler.ir;

/**
 * Istio's {@code PassthroughCluster}: connects to the connection's original destination (ORIGINAL_DST), for
 * traffic to hosts the mesh does not know when the outbound policy is ALLOW_ANY.
 */
public record PassthroughClusterIr(String name) implements ClusterIr {

    public static final PassthroughClusterIr OUTBOUND = new PassthroughClusterIr("PassthroughCluster");
}
