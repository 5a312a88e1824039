package meshlog.configstore.snapshot;

import static meshlog.configstore.snapshot.Snapshots.CLUSTER_TYPE;
import static meshlog.configstore.snapshot.Snapshots.ROUTE_TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotKeyTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "outbound|8080|v1|reviews.default.svc.cluster.local",
        "reviews.default.svc.cluster.local:8080",
        "/api/v1/reviews",
        "a/b//c/",
        "100%/50%2F",
        "_manifest",
        ""})
    void resourceNamesSurviveTheKey(String name) {
        SnapshotKey.Resource key = new SnapshotKey.Resource("east-1", CLUSTER_TYPE, name);

        assertThat(SnapshotKey.parse(key.encode())).isEqualTo(key);
    }

    @Test
    void keysStayReadable() {
        assertThat(new SnapshotKey.Resource("east", CLUSTER_TYPE, "outbound|8080|v1|reviews.default.svc.cluster.local")
                .encode()).isEqualTo("east/type.googleapis.com/envoy.config.cluster.v3.Cluster/"
                        + "outbound|8080|v1|reviews.default.svc.cluster.local");
        assertThat(new SnapshotKey.Resource("east", ROUTE_TYPE, "/a").encode())
                .isEqualTo("east/type.googleapis.com/envoy.config.route.v3.RouteConfiguration/%2Fa");
        assertThat(new SnapshotKey.Manifest("east").encode()).isEqualTo("east/_manifest");
    }

    @Test
    void clustersWithSlashesAndTheManifestKey() {
        assertThat(SnapshotKey.parse("east/_manifest")).isEqualTo(new SnapshotKey.Manifest("east"));
        SnapshotKey.Manifest odd = new SnapshotKey.Manifest("eu/west%1");
        assertThat(odd.encode()).isEqualTo("eu%2Fwest%251/_manifest");
        assertThat(SnapshotKey.parse(odd.encode())).isEqualTo(odd);
        SnapshotKey.Resource r = new SnapshotKey.Resource("eu/west", CLUSTER_TYPE, "x/y");
        assertThat(SnapshotKey.parse(r.encode())).isEqualTo(r);
    }

    @Test
    void aTypeUrlWithoutSlashStillParses() {
        assertThat(SnapshotKey.parse("east/Cluster/a%2Fb"))
                .isEqualTo(new SnapshotKey.Resource("east", "Cluster", "a/b"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"east", "/type/name", "east/", "east/nameonly", "east//name", "east/t/bad%zz"})
    void refusesMalformedKeys(String key) {
        assertThatThrownBy(() -> SnapshotKey.parse(key)).isInstanceOf(IllegalArgumentException.class);
    }
}
