package meshlog.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.xds.Mesh;
import meshlog.xdscheck.SnapshotCheck;
import org.junit.jupiter.api.Test;

class SnapshotDecoderTest {

    static ScopeSnapshot split(int a, int b) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put("a", a);
        weights.put("b", b);
        return Mesh.split("east", weights, Map.of("a", 5001, "b", 5002));
    }

    static DecodedSnapshot decoded(ScopeSnapshot snapshot) {
        SnapshotDecoder.Result result = SnapshotDecoder.decode(snapshot);
        assertThat(result).isInstanceOf(SnapshotDecoder.Decoded.class);
        return ((SnapshotDecoder.Decoded) result).snapshot();
    }

    @Test
    void decodesEveryRoutingType() {
        DecodedSnapshot snapshot = decoded(split(80, 20));
        assertThat(snapshot.listeners()).singleElement().isEqualTo(Mesh.listener());
        assertThat(snapshot.routes()).hasSize(1);
        assertThat(snapshot.clusters()).hasSize(2);
        assertThat(snapshot.endpoints()).hasSize(2);
        assertThat(snapshot.resourceCount()).isEqualTo(6);
        assertThat(snapshot.typeVersions()).containsOnlyKeys(Resources.V3.LISTENER_TYPE_URL, Resources.V3.ROUTE_TYPE_URL,
                Resources.V3.CLUSTER_TYPE_URL, Resources.V3.ENDPOINT_TYPE_URL);
    }

    @Test
    void snapshotsDecodedThroughOnePoolShareTheResourcesTheyHaveInCommon() {
        ResourcePool pool = new ResourcePool();
        DecodedSnapshot a = ((SnapshotDecoder.Decoded) SnapshotDecoder.decode(split(80, 20), pool)).snapshot();
        DecodedSnapshot b = ((SnapshotDecoder.Decoded) SnapshotDecoder.decode(split(50, 50), pool)).snapshot();
        // Only the route differs between the two: clusters, endpoints and the listener are one object each.
        assertThat(b.clusters().get(0)).isSameAs(a.clusters().get(0));
        assertThat(b.endpoints().get(1)).isSameAs(a.endpoints().get(1));
        assertThat(b.listeners().get(0)).isSameAs(a.listeners().get(0));
        assertThat(b.routes().get(0)).isNotSameAs(a.routes().get(0)).isNotEqualTo(a.routes().get(0));
        assertThat(pool.size()).isEqualTo(7); // 2 clusters, 2 endpoints, 1 listener, 2 routes
    }

    @Test
    void aTypeVersionChangesOnlyWithThatTypesResources() {
        DecodedSnapshot before = decoded(split(80, 20));
        DecodedSnapshot after = decoded(split(50, 50));
        assertThat(after.typeVersion(Resources.V3.ROUTE_TYPE_URL)).isNotEqualTo(before.typeVersion(Resources.V3.ROUTE_TYPE_URL));
        for (String unchanged : new String[] {Resources.V3.LISTENER_TYPE_URL, Resources.V3.CLUSTER_TYPE_URL,
                Resources.V3.ENDPOINT_TYPE_URL}) {
            assertThat(after.typeVersion(unchanged)).isEqualTo(before.typeVersion(unchanged));
        }
        assertThat(decoded(split(50, 50)).typeVersions()).as("deterministic").isEqualTo(after.typeVersions());
    }

    @Test
    void refusesBytesThatAreNotTheNamedResource() {
        Map<String, Map<String, byte[]>> resources = new TreeMap<>(split(80, 20).resources());
        resources.put(Resources.V3.ROUTE_TYPE_URL, Map.of("svc.example:50051", new byte[] {0x0A, 0x7F, 0x01}));
        resources.put(Resources.V3.CLUSTER_TYPE_URL, Map.of("a", Mesh.cluster("b").toByteArray(),
                "b", Mesh.cluster("b").toByteArray()));

        assertThat(refused(resources)).containsExactly(
                "route configuration svc.example:50051: unreadable: While parsing a protocol message, the input ended"
                        + " unexpectedly in the middle of a field.  This could mean either that the input has been "
                        + "truncated or that an embedded message misreported its own length.",
                "cluster a: is stored under that name but named \"b\"");
    }

    /** The second trust boundary refuses with the first one's check: the same problems, word for word. */
    @Test
    void refusesExactlyWhatTheReconcilersCheckRefuses() {
        Map<String, Map<String, byte[]>> resources = new TreeMap<>();
        split(80, 20).resources().forEach((type, byName) -> resources.put(type, new TreeMap<>(byName)));
        resources.remove(Resources.V3.ROUTE_TYPE_URL);
        Mesh.put(resources, Resources.V3.CLUSTER_TYPE_URL, "c", Mesh.cluster("c"));
        Mesh.put(resources, Resources.V3.CLUSTER_TYPE_URL, "static", Cluster.newBuilder().setName("static").build());

        assertThat(refused(resources)).isEqualTo(SnapshotCheck.problems(resources)).containsExactly(
                "listener svc.example:50051: refers to route configuration \"svc.example:50051\", which the snapshot"
                        + " does not hold",
                "cluster c: has no endpoint assignment \"c\" in the snapshot",
                "cluster static: is STATIC without an endpoint address (only BlackHoleCluster may be)");
    }

    static java.util.List<String> refused(Map<String, Map<String, byte[]>> resources) {
        SnapshotDecoder.Result result = SnapshotDecoder.decode(Mesh.of("east", resources));
        assertThat(result).isInstanceOf(SnapshotDecoder.Refused.class);
        return ((SnapshotDecoder.Refused) result).problems();
    }

    @Test
    void skipsUnknownTypesAndSecretsWithAWarning() {
        Map<String, Map<String, byte[]>> resources = new TreeMap<>(split(80, 20).resources());
        Mesh.put(resources, "type.googleapis.com/google.protobuf.StringValue", "x", StringValue.of("x"));
        Mesh.put(resources, Resources.V3.SECRET_TYPE_URL, "default", Secret.newBuilder().setName("default").build());

        SnapshotDecoder.Result result = SnapshotDecoder.decode(Mesh.of("east", resources));

        assertThat(result).isInstanceOf(SnapshotDecoder.Decoded.class);
        SnapshotDecoder.Decoded decoded = (SnapshotDecoder.Decoded) result;
        assertThat(decoded.snapshot().resourceCount()).isEqualTo(6);
        assertThat(decoded.warnings()).containsExactlyInAnyOrder(
                "skipped unknown type type.googleapis.com/google.protobuf.StringValue (1 resource(s))",
                "skipped 1 secret(s): secrets come from the CA, not from snapshots");
    }

    @Test
    void servesATypeTheSnapshotLacksAsEmpty() {
        Map<String, Map<String, byte[]>> resources = new TreeMap<>();
        // A STATIC cluster with no endpoint would be refused; BlackHoleCluster is the one that may be empty.
        Mesh.put(resources, Resources.V3.CLUSTER_TYPE_URL, "BlackHoleCluster",
                Cluster.newBuilder().setName("BlackHoleCluster").build());
        DecodedSnapshot snapshot = decoded(Mesh.of("east", resources));
        assertThat(snapshot.typeVersion(Resources.V3.LISTENER_TYPE_URL)).isNotEmpty();
        assertThat(snapshot.listeners()).isEmpty();
        assertThat(DecodedSnapshot.empty("east").typeVersion(Resources.V3.LISTENER_TYPE_URL)).isEmpty();
    }
}
