package meshlog.configstore.snapshot;

import static meshlog.configstore.snapshot.Snapshots.CLUSTER_TYPE;
import static meshlog.configstore.snapshot.Snapshots.LISTENER_TYPE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshlog.configstore.kafka.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each publication leaves a {@link SnapshotPublished} record, and what it names stays readable by hash after the
 * snapshots topic has tombstoned it: a cluster's past snapshot can be shown exactly.
 */
class SnapshotHistoryTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void aWithdrawnResourceIsStillReadableFromTheHistoryOfItsPublication() {
        ScopeSnapshot first = Snapshots.snapshot("hist", "c1", CLUSTER_TYPE, "a", "cluster-a-v1",
                LISTENER_TYPE, "l", "listener");
        ScopeSnapshot second = Snapshots.snapshot("hist", "c2", CLUSTER_TYPE, "a", "cluster-a-v2",
                LISTENER_TYPE, "l", "listener");
        try (SnapshotPublisher pub = new SnapshotPublisher(KAFKA.bootstrap(), "history-1",
                Clock.fixed(T, ZoneOffset.UTC))) {
            assertThat(pub.publish("hist", List.of(first))).isTrue();
            assertThat(pub.publish("hist", List.of(first))).as("nothing new: no publication").isFalse();
            assertThat(pub.publish("hist", List.of(second))).isTrue();
        }
        List<String> unreadable = new ArrayList<>();
        List<SnapshotHistory.Logged> pubs = SnapshotHistory.publications(KAFKA.bootstrap(), unreadable).stream()
                .filter(p -> p.publication().cluster().equals("hist")).toList();
        assertThat(unreadable).isEmpty();
        assertThat(pubs).hasSize(2);
        SnapshotPublished p1 = pubs.get(0).publication();
        assertThat(p1.time()).isEqualTo(T);
        assertThat(p1.changed()).containsExactly("grpc");
        assertThat(p1.scopes().get("grpc").version()).isEqualTo(first.version());
        assertThat(p1.scopes().get("grpc").commit()).isEqualTo("c1");
        assertThat(pubs.get(1).publication().scopes().get("grpc").commit()).isEqualTo("c2");

        // The snapshots topic has tombstoned cluster-a-v1 (c2 replaced it); the history still serves c1 whole.
        SnapshotHistory.Served served = SnapshotHistory.served(KAFKA.bootstrap(), "hist", p1.scopes().get("grpc"));

        assertThat(served.missing()).isEmpty();
        assertThat(served.manifest().commit()).isEqualTo("c1");
        assertThat(Map.of(CLUSTER_TYPE, new String(served.resources().get(CLUSTER_TYPE).get("a"),
                StandardCharsets.UTF_8))).isEqualTo(Map.of(CLUSTER_TYPE, "cluster-a-v1"));
        assertThat(served.manifest().hashOf(CLUSTER_TYPE, "a"))
                .isEqualTo(ScopeSnapshot.hash("cluster-a-v1".getBytes(StandardCharsets.UTF_8)));
    }
}
