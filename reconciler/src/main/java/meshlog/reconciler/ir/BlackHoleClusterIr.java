package meshlog.reconciler.ir;

/** Istio's {@code BlackHoleCluster}: no endpoints, so traffic to it fails (outbound policy REGISTRY_ONLY). */
public record BlackHoleClusterIr(String name) implements ClusterIr {

    public static final BlackHoleClusterIr INSTANCE = new BlackHoleClusterIr("BlackHoleCluster");
}
