package meshlog.reconciler.xds;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import meshlog.reconciler.ir.BackendIr;
import meshlog.reconciler.ir.BlackHoleClusterIr;
import meshlog.reconciler.ir.ClusterIr;
import meshlog.reconciler.ir.PassthroughClusterIr;

/**
 * Clusters: a backend as an EDS cluster over ADS, round robin (the one policy proxyless gRPC supports, Istio says),
 * HTTP/2 upstream when the backend says so; Istio's {@code PassthroughCluster} (original destination) and
 * {@code BlackHoleCluster} (static, no endpoints).
 */
final class ClusterBuilder {

    /** Istio's default connect timeout. */
    static final Duration CONNECT_TIMEOUT = Duration.newBuilder().setSeconds(10).build();
    static final String HTTP_PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

    private ClusterBuilder() {
    }

    static Cluster build(ClusterIr ir) {
        if (ir instanceof BackendIr backend) {
            return backend(backend);
        } else if (ir instanceof PassthroughClusterIr passthrough) {
            return Cluster.newBuilder().setName(passthrough.name()).setType(Cluster.DiscoveryType.ORIGINAL_DST)
                    .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED).setConnectTimeout(CONNECT_TIMEOUT).build();
        } else if (ir instanceof BlackHoleClusterIr blackHole) {
            return Cluster.newBuilder().setName(blackHole.name()).setType(Cluster.DiscoveryType.STATIC)
                    .setConnectTimeout(CONNECT_TIMEOUT).build();
        }
        throw new AssertionError(ir);
    }

    private static Cluster backend(BackendIr ir) {
        Cluster.Builder c = Cluster.newBuilder()
                .setName(ir.name())
                .setType(Cluster.DiscoveryType.EDS)
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(Protos.ads()))
                .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN)
                .setConnectTimeout(CONNECT_TIMEOUT);
        if (ir.http2()) {
            HttpProtocolOptions options = HttpProtocolOptions.newBuilder()
                    .setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                            .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
                    .build();
            c.putTypedExtensionProtocolOptions(HTTP_PROTOCOL_OPTIONS, Protos.pack(options));
        }
        return c.build();
    }
}
