package meshlog.reconciler.ir;

/** An upstream cluster: a service backend (EDS), one of Istio's fixed clusters, or a JWKS server's. */
public sealed interface ClusterIr permits BackendIr, PassthroughClusterIr, BlackHoleClusterIr,
        InboundClusterIr, JwksClusterIr {

    /** The xDS cluster name. */
    String name();
}
