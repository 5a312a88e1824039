package meshlog.reconciler.ir;

/** An upstream cluster: a service backend (EDS), or one of Istio's fixed clusters. */
public sealed interface ClusterIr permits BackendIr, PassthroughClusterIr, BlackHoleClusterIr,
        InboundClusterIr {

    /** The xDS cluster name. */
    String name();
}
