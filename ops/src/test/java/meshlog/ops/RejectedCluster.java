package meshlog.ops;

import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.configstore.snapshot.SnapshotPublisher;
import meshlog.configstore.snapshot.SnapshotSubscriber;
import meshlog.xdscheck.TypeUrls;

/**
 * Publishes, for one scope of a running node's cluster, the config it holds with one cluster both Envoy and
 * grpc-java refuse (a ring whose minimum exceeds its maximum; meshlog's consistency checks pass it), labelled with a
 * commit: what a buggy writer of the snapshots topic could do, so that real proxies NACK.
 */
final class RejectedCluster {

    private RejectedCluster() {
    }

    /**
     * @param cluster the xDS cluster to break, by name, in {@code scope}'s snapshot
     * @return the version published for {@code scope}, the one its proxies NACK
     */
    static String publish(MeshlogNode node, String meshCluster, String scope, String cluster, String commit,
                          String writerId) throws Exception {
        Map<String, ScopeSnapshot> held = new ConcurrentHashMap<>();
        SnapshotSubscriber feed = SnapshotSubscriber.start(node.bootstrap(), Set.of(meshCluster),
                s -> held.put(s.scope(), s));
        try {
            await().atMost(Duration.ofSeconds(40)).until(feed::caughtUp);
        } finally {
            feed.close();
        }
        Map<String, Map<String, byte[]>> resources = withRefusedRing(held.get(scope).resources(), cluster);
        String version = ScopeSnapshot.versionOf(resources);
        held.put(scope, new ScopeSnapshot(meshCluster, scope, version, commit, resources));
        try (SnapshotPublisher writer = new SnapshotPublisher(node.bootstrap(), writerId)) {
            writer.publish(meshCluster, held.values());
        }
        return version;
    }

    /** {@code resources} with {@code cluster} given a ring whose minimum size exceeds its maximum. */
    static Map<String, Map<String, byte[]>> withRefusedRing(Map<String, Map<String, byte[]>> resources,
                                                            String cluster) throws Exception {
        Map<String, Map<String, byte[]>> out = new TreeMap<>(resources);
        Map<String, byte[]> clusters = new TreeMap<>(out.get(TypeUrls.CLUSTER));
        Cluster bad = Cluster.parseFrom(clusters.get(cluster)).toBuilder().setLbPolicy(Cluster.LbPolicy.RING_HASH)
                .setRingHashLbConfig(Cluster.RingHashLbConfig.newBuilder()
                        .setMinimumRingSize(com.google.protobuf.UInt64Value.of(4096))
                        .setMaximumRingSize(com.google.protobuf.UInt64Value.of(1024)))
                .build();
        clusters.put(cluster, bad.toByteArray());
        out.put(TypeUrls.CLUSTER, clusters);
        return out;
    }
}
