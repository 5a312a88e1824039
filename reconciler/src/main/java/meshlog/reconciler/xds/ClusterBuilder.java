package meshlog.reconciler.xds;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import meshlog.reconciler.ir.BackendIr;

/** A backend as an EDS cluster over ADS, round robin (the one policy proxyless gRPC supports, Istio says). */
final class ClusterBuilder {

    /** Istio's default connect timeout. */
    static final Duration CONNECT_TIMEOUT = Duration.newBuilder().setSeconds(10).build();

    private ClusterBuilder() {
    }

    static Cluster build(BackendIr ir) {
        return Cluster.newBuilder()
                .setName(ir.name())
                .setType(Cluster.DiscoveryType.EDS)
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(Protos.ads()))
                .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN)
                .setConnectTimeout(CONNECT_TIMEOUT)
                .build();
    }
}
