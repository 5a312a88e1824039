package meshlog.configstore.snapshot;

import static meshlog.configstore.snapshot.Snapshots.CLUSTER_TYPE;
import static meshlog.configstore.snapshot.Snapshots.LISTENER_TYPE;
import static meshlog.configstore.snapshot.Snapshots.bytes;
import static meshlog.configstore.snapshot.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotManifestTest {

    private final ClusterSnapshot snap = snapshot("east", "abc123",
            CLUSTER_TYPE, "outbound|8080|v1|reviews.default.svc.cluster.local", "c1",
            LISTENER_TYPE, "reviews.default.svc.cluster.local:8080", "l1");

    @Test
    void listsEveryResourceByHash() {
        SnapshotManifest m = SnapshotManifest.of(snap);

        assertThat(m.cluster()).isEqualTo("east");
        assertThat(m.version()).isEqualTo(snap.version());
        assertThat(m.commit()).isEqualTo("abc123");
        assertThat(m.resourceCount()).isEqualTo(2);
        assertThat(m.hashOf(CLUSTER_TYPE, "outbound|8080|v1|reviews.default.svc.cluster.local"))
                .isEqualTo(ClusterSnapshot.hash(bytes("c1")));
        assertThat(m.hashOf(CLUSTER_TYPE, "nope")).isNull();
        assertThat(m.hashOf("nope", "nope")).isNull();
    }

    @Test
    void roundTripsAndEncodesDeterministically() {
        SnapshotManifest m = SnapshotManifest.of(snap);
        byte[] encoded = m.encode();

        assertThat(SnapshotManifest.decode(encoded)).isEqualTo(m);
        assertThat(SnapshotManifest.of(snap).encode()).isEqualTo(encoded);
        assertThat(new String(encoded, StandardCharsets.UTF_8)).startsWith("{\"schemaVersion\":1,\"cluster\":\"east\"");
    }

    @Test
    void aNullCommitRoundTrips() {
        SnapshotManifest m = new SnapshotManifest("east", "v1", null, Map.of());

        assertThat(SnapshotManifest.decode(m.encode())).isEqualTo(m);
    }

    @Test
    void refusesWhatItCannotRead() {
        assertThatThrownBy(() -> SnapshotManifest.decode(bytes("{\"schemaVersion\":2,\"cluster\":\"e\","
                + "\"version\":\"v\",\"resources\":{}}"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schemaVersion=2");
        assertThatThrownBy(() -> SnapshotManifest.decode(bytes("{\"schemaVersion\":1,\"cluster\":\"e\"}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SnapshotManifest.decode(bytes("]["))).isInstanceOf(IllegalArgumentException.class);
    }
}
