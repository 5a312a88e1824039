package meshlog.configstore.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotKeyTest {

    private static final String H = "abababababababababababababababababababababababababababababababab";

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "sidecar~default~NONE~3f2a9c1e", "_manifest", "a.b-c_d~e", "x"})
    void pointersSurviveTheKey(String scope) {
        SnapshotKey.Pointer key = new SnapshotKey.Pointer("east-1", scope);

        assertThat(SnapshotKey.parse(key.encode())).isEqualTo(key);
    }

    @Test
    void keysStayReadable() {
        assertThat(new SnapshotKey.Pointer("east", "grpc").encode()).isEqualTo("east/grpc/_manifest");
        assertThat(new SnapshotKey.Blob("east", H, 2, 12).encode()).isEqualTo("east/_blob/" + H + "/2/12");
        assertThat(SnapshotKey.parse("east/_blob/" + H + "/0/1")).isEqualTo(new SnapshotKey.Blob("east", H, 0, 1));
    }

    @Test
    void clustersWithSlashesAndPercents() {
        SnapshotKey.Pointer odd = new SnapshotKey.Pointer("eu/west%1", "grpc");
        assertThat(odd.encode()).isEqualTo("eu%2Fwest%251/grpc/_manifest");
        assertThat(SnapshotKey.parse(odd.encode())).isEqualTo(odd);
        SnapshotKey.Blob b = new SnapshotKey.Blob("eu/_blob", H, 1023, 1024);
        assertThat(SnapshotKey.parse(b.encode())).isEqualTo(b);
        assertThat(SnapshotKey.parse("eu%2fwest/grpc/_manifest")).isEqualTo(new SnapshotKey.Pointer("eu/west", "grpc"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"east", "east/_manifest", "/grpc/_manifest", "east/grpc/", "east//_manifest",
        "east/_blob/_manifest", "east/gr pc/_manifest", "east/grpc/_manifest/x", "east/t/bad%zz",
        "east%zz/grpc/_manifest", "east/_blob/" + H + "/0", "east/_blob/" + H + "/1/1", "east/_blob/" + H + "/0/0",
        "east/_blob/" + H + "/0/1025", "east/_blob/" + H + "/01/2", "east/_blob/" + H + "/-1/2",
        "east/_blob/" + H + "/0/99999", "east/_blob/ABAB/0/1", "east/_blob/" + H + "/0/1/x",
        "east/type.googleapis.com/envoy.config.cluster.v3.Cluster/a"})
    void refusesMalformedKeys(String key) {
        assertThatThrownBy(() -> SnapshotKey.parse(key)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBlobSegmentIsNoScope() {
        assertThatThrownBy(() -> new SnapshotKey.Pointer("east", "_blob"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a scope id: '_blob'");
    }
}
