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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Manifest bodies and the scope pointers that name them. */
class SnapshotManifestTest {

    private static final String H = "ab".repeat(32);

    private final ScopeSnapshot snap = snapshot("east", "abc123",
            CLUSTER_TYPE, "outbound|8080|v1|reviews.default.svc.cluster.local", "c1",
            LISTENER_TYPE, "reviews.default.svc.cluster.local:8080", "l1");

    @Test
    void listsEveryResourceByHash() {
        SnapshotManifest m = SnapshotManifest.of(snap);

        assertThat(m.cluster()).isEqualTo("east");
        assertThat(m.scope()).isEqualTo("grpc");
        assertThat(m.version()).isEqualTo(snap.version());
        assertThat(m.commit()).isEqualTo("abc123");
        assertThat(m.resourceCount()).isEqualTo(2);
        assertThat(m.hashOf(CLUSTER_TYPE, "outbound|8080|v1|reviews.default.svc.cluster.local"))
                .isEqualTo(ScopeSnapshot.hash(bytes("c1")));
        assertThat(m.hashOf(CLUSTER_TYPE, "nope")).isNull();
        assertThat(m.hashOf("nope", "nope")).isNull();
    }

    @Test
    void roundTripsAndEncodesDeterministically() {
        SnapshotManifest m = SnapshotManifest.of(snap);
        byte[] encoded = m.encode();

        assertThat(SnapshotManifest.decode(encoded)).isEqualTo(m);
        assertThat(SnapshotManifest.of(snap).encode()).isEqualTo(encoded);
        assertThat(new String(encoded, StandardCharsets.UTF_8))
                .startsWith("{\"schemaVersion\":2,\"cluster\":\"east\",\"scope\":\"grpc\",\"version\":");
    }

    @Test
    void aNullCommitRoundTrips() {
        SnapshotManifest m = new SnapshotManifest("east", "grpc", "v1", null, Map.of());

        assertThat(SnapshotManifest.decode(m.encode())).isEqualTo(m);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"schemaVersion\":1,\"cluster\":\"e\",\"scope\":\"s\",\"version\":\"v\",\"resources\":{}}",
        "{\"schemaVersion\":2,\"cluster\":\"e\",\"scope\":\"s\"}",
        "{\"schemaVersion\":2,\"cluster\":\"e\",\"version\":\"v\",\"resources\":{}}",
        "{\"schemaVersion\":2,\"cluster\":\"e\",\"scope\":\"_blob\",\"version\":\"v\",\"resources\":{}}",
        "{\"schemaVersion\":2,\"cluster\":\"e\",\"scope\":\"s\",\"version\":\"v\",\"resources\":{\"t\":{\"n\":\"x\"}}}",
        "{\"schemaVersion\":2,\"cluster\":\"e\",\"scope\":\"s\",\"version\":\"v\",\"resources\":{\"t\":null}}",
        "][", ""})
    void refusesABodyItCannotRead(String json) {
        assertThatThrownBy(() -> SnapshotManifest.decode(bytes(json))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPointerRoundTripsAndNamesItsBody() {
        SnapshotManifest m = SnapshotManifest.of(snap);
        byte[] body = m.encode();
        ScopePointer p = ScopePointer.of(m, body);

        assertThat(p.manifest()).isEqualTo(ScopeSnapshot.hash(body));
        assertThat(p.size()).isEqualTo(body.length);
        assertThat(ScopePointer.decode(p.encode())).isEqualTo(p);
        assertThat(new String(p.encode(), StandardCharsets.UTF_8)).isEqualTo("{\"schemaVersion\":2,\"cluster\":"
                + "\"east\",\"scope\":\"grpc\",\"version\":\"" + snap.version() + "\",\"commit\":\"abc123\","
                + "\"manifest\":\"" + p.manifest() + "\",\"size\":" + body.length + "}");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "268435457", "-1", "1e30", "\"12\"", "null"})
    void refusesAPointerBeyondTheBounds(String size) {
        String json = "{\"schemaVersion\":2,\"cluster\":\"e\",\"scope\":\"s\",\"version\":\"v\",\"commit\":null,"
                + "\"manifest\":\"" + H + "\",\"size\":" + size + "}";

        assertThatThrownBy(() -> ScopePointer.decode(bytes(json))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPointerOfTheLargestBodyIsReadable() {
        String json = "{\"schemaVersion\":2,\"cluster\":\"e\",\"scope\":\"s\",\"version\":\"v\",\"commit\":null,"
                + "\"manifest\":\"" + H + "\",\"size\":268435456}";

        assertThat(ScopePointer.decode(bytes(json)).size()).isEqualTo(256L * 1024 * 1024);
        assertThatThrownBy(() -> ScopePointer.decode(new byte[70_000])).hasMessageContaining("at most 64 KiB");
        assertThatThrownBy(() -> ScopePointer.decode(bytes(json.replace(H, "x"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScopePointer.decode(bytes(json.replace("2,", "1,"))))
                .hasMessageContaining("schemaVersion=1");
    }
}
