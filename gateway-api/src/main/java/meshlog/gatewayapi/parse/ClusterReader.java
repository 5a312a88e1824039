package meshlog.gatewayapi.parse;

import meshlog.gatewayapi.model.MeshCluster;
import meshlog.gatewayapi.model.ObjectMeta;

/** Reads meshlog's own {@code Cluster.spec}. */
final class ClusterReader {

    private ClusterReader() {
    }

    static MeshCluster read(ObjectMeta meta, Fields spec) {
        return new MeshCluster(meta, spec.string("network"), spec.string("locality"));
    }
}
