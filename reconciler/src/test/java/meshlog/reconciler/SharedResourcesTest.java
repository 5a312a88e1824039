package meshlog.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import meshlog.configstore.scope.ProxyScope;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.configstore.snapshot.SnapshotDiff;
import meshlog.configstore.snapshot.SnapshotHoldings;
import meshlog.configstore.snapshot.SnapshotKey;
import meshlog.configstore.snapshot.SnapshotRecord;
import meshlog.configstore.state.ConfigState;
import meshlog.reconciler.xds.ResourceMemo;
import meshlog.xdscheck.TypeUrls;
import org.junit.jupiter.api.Test;

/**
 * What scopes share is computed once ({@link ResourceMemo}) and changes nothing: {@code computeAll} with one memo
 * for every scope and cluster gives, byte for byte, what computing each scope alone gives; and an endpoint-only
 * change reaches the snapshot topic as endpoint assignments only.
 */
class SharedResourcesTest {

    @Test
    void everyGoldenCaseIsByteIdenticalWithTheMemoAndWithout() throws IOException {
        List<String> cases = GoldenTest.cases().toList();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(18);
        for (String name : cases) {
            Path dir = GoldenTest.ROOT.resolve(name);
            ConfigState state = TestConfigs.state(GoldenTest.inputs(name));
            ProxyScope own = SidecarGoldenTest.scopeOf(dir.resolve("sidecar.scope"));
            assertSameAsAlone(name, state, own == null ? Set.of() : Set.of(own));
        }
    }

    @Test
    void aLargeGeneratedMeshIsByteIdenticalAndSharesItsArrays() {
        ConfigState state = TestConfigs.state(GeneratedConfig.yaml(300, 5));
        Set<ProxyScope> requested = new HashSet<>();
        for (int i = 0; i < 8; i++) { // w0..w4 have a route of their own, w5..w7 the common one
            requested.add(ProxyScope.sidecar("ns0", Map.of("app", "w" + i), ProxyScope.Interception.REDIRECT));
        }
        List<SnapshotResult> all = assertSameAsAlone("generated", state, requested);

        Map<String, ScopeSnapshot> byId = new TreeMap<>();
        all.forEach(r -> byId.put(r.snapshot().scope(), r.snapshot()));
        ScopeSnapshot w0 = byId.get(scopeId("w0"));
        ScopeSnapshot w1 = byId.get(scopeId("w1"));
        ScopeSnapshot w5 = byId.get(scopeId("w5"));
        String cluster = "outbound|50051|v1|svc7.ns7.svc.cluster.local";
        // Built once: the very same array in every scope that has it, across different translations.
        assertThat(w0.resources().get(TypeUrls.CLUSTER).get(cluster))
                .isSameAs(w1.resources().get(TypeUrls.CLUSTER).get(cluster))
                .isSameAs(w5.resources().get(TypeUrls.CLUSTER).get(cluster));
        assertThat(w0.resources().get(TypeUrls.ENDPOINT).get(cluster))
                .isSameAs(w5.resources().get(TypeUrls.ENDPOINT).get(cluster));
        // The gRPC scope's backends differ (no sidecar defaults) but its assignment is the same, so shared too.
        assertThat(byId.get(ProxyScope.GRPC.id()).resources().get(TypeUrls.ENDPOINT).get(cluster))
                .isSameAs(w5.resources().get(TypeUrls.ENDPOINT).get(cluster));
        // A sourceLabels route of its own: that route table differs, the others are one array.
        assertThat(w0.resources().get(TypeUrls.ROUTE).get("50051"))
                .isNotEqualTo(w5.resources().get(TypeUrls.ROUTE).get("50051"));
        assertThat(w5.resources().get(TypeUrls.ROUTE).get("50051"))
                .isSameAs(byId.get(scopeId("w6")).resources().get(TypeUrls.ROUTE).get("50051"));
    }

    @Test
    void clustersSharingOneMemoGetWhatEachGetsAlone() {
        String yaml = GeneratedConfig.yaml(40, 2) + """
                ---
                apiVersion: meshlog.dev/v1alpha1
                kind: Cluster
                metadata: {name: west}
                spec: {locality: us-west/zone-b}
                """;
        ConfigState state = TestConfigs.state(yaml);
        ResourceMemo shared = new ResourceMemo();
        Map<String, List<SnapshotResult>> together = new TreeMap<>();
        for (String cluster : List.of("east", "west")) {
            together.put(cluster, SnapshotComputer.computeAll(state, cluster, "c1", Set.of(), shared));
            List<SnapshotResult> alone = SnapshotComputer.computeAll(state, cluster, "c1", Set.of(), new ResourceMemo());
            assertThat(render(together.get(cluster))).as(cluster).isEqualTo(render(alone));
        }
        // No outlier detection, so no locality failover: the two clusters' assignments are equal, built once.
        String name = "outbound|50051||svc1.ns1.svc.cluster.local";
        assertThat(together.get("east").get(0).snapshot().resources().get(TypeUrls.ENDPOINT).get(name))
                .isSameAs(together.get("west").get(0).snapshot().resources().get(TypeUrls.ENDPOINT).get(name));
    }

    @Test
    void anEndpointAddressChangeChangesOnlyThatServicesAssignmentsOnTheTopic() {
        ConfigState before = TestConfigs.state(GeneratedConfig.yaml(20, 2));
        // svc5's v1 endpoint (10.0.5.1) moves; its v2 endpoint stays.
        ConfigState after = TestConfigs.state(GeneratedConfig.yaml(20, 2).replace("10.0.5.1,", "10.0.5.9,"));
        Set<ProxyScope> requested = Set.of(
                ProxyScope.sidecar("ns0", Map.of("app", "w0"), ProxyScope.Interception.REDIRECT),
                ProxyScope.sidecar("ns0", Map.of("app", "w9"), ProxyScope.Interception.REDIRECT));
        List<ScopeSnapshot> v1 = snapshots(SnapshotComputer.computeAll(before, "east", "c1", requested));
        List<ScopeSnapshot> v2 = snapshots(SnapshotComputer.computeAll(after, "east", "c2", requested));
        assertThat(v2).extracting(ScopeSnapshot::scope).isEqualTo(v1.stream().map(ScopeSnapshot::scope).toList())
                .hasSize(1 + 11 + 2 * 11 + 2);

        Set<String> moved = Set.of("outbound|50051||svc5.ns5.svc.cluster.local",
                "outbound|50051|v1|svc5.ns5.svc.cluster.local");
        for (int i = 0; i < v1.size(); i++) {
            ScopeSnapshot a = v1.get(i);
            ScopeSnapshot b = v2.get(i);
            for (String type : List.of(TypeUrls.LISTENER, TypeUrls.ROUTE, TypeUrls.CLUSTER)) {
                assertThat(hashes(b, type)).as("%s %s", a.scope(), type).isEqualTo(hashes(a, type));
            }
            assertThat(changedNames(a, b, TypeUrls.ENDPOINT)).as(a.scope()).isEqualTo(moved);
            assertThat(b.version()).isNotEqualTo(a.version());
        }

        // What a distributor reads: the publication after the change writes the two new assignments (and each
        // scope's manifest and pointer) and tombstones the two old ones; no listener, route or cluster blob.
        SnapshotHoldings held = SnapshotDiff.between(SnapshotHoldings.empty("east"), "east", v1).after();
        SnapshotDiff diff = SnapshotDiff.between(held, "east", v2);
        Set<String> manifests = new HashSet<>();
        diff.after().pointers().values().forEach(p -> manifests.add(p.manifest()));
        held.pointers().values().forEach(p -> manifests.add(p.manifest()));
        Set<String> written = new TreeSet<>();
        Set<String> removed = new TreeSet<>();
        for (SnapshotRecord r : diff.records()) {
            String[] key = r.key().split("/"); // east/_blob/<sha256>/<i>/<n>, or east/<scope>/_manifest
            if (key[1].equals(SnapshotKey.BLOB) && !manifests.contains(key[2])) {
                (r.value() == null ? removed : written).add(key[2]);
            }
        }
        assertThat(written).isEqualTo(hashesOf(v2.get(0), moved));
        assertThat(removed).isEqualTo(hashesOf(v1.get(0), moved));
        assertThat(diff.changed()).isEqualTo(v2.size());
    }

    /**
     * {@code computeAll} against each of its scopes computed alone (a fresh memo each, as before the memo), and
     * the whole of it computed again with a fresh memo: scope ids, versions, every resource's bytes, notes.
     */
    private static List<SnapshotResult> assertSameAsAlone(String label, ConfigState state, Set<ProxyScope> requested) {
        List<SnapshotResult> last = List.of();
        for (String cluster : SnapshotComputer.clusters(state, List.of("default"))) {
            List<SnapshotResult> all = SnapshotComputer.computeAll(state, cluster, "c1", requested, new ResourceMemo());
            Map<String, ProxyScope> scopes = new LinkedHashMap<>();
            scopes.put(ProxyScope.GRPC.id(), ProxyScope.GRPC);
            SnapshotComputer.sidecarScopes(state).forEach(s -> scopes.put(s.id(), s));
            requested.forEach(s -> scopes.putIfAbsent(s.id(), s));
            List<SnapshotResult> alone = new ArrayList<>();
            for (SnapshotResult r : all) {
                String id = r.snapshot().scope();
                if (id.startsWith("grpc~")) { // one per namespace: which namespaces is computeAll's to say
                    scopes.putIfAbsent(id, ProxyScope.grpc(id.substring("grpc~".length())));
                }
                alone.add(SnapshotComputer.computeWithNotes(state, cluster, scopes.get(r.snapshot().scope()), "c1"));
            }
            assertThat(all).as(label).hasSize(scopes.size());
            assertThat(firstDifference(all, alone)).as("%s, cluster %s", label, cluster).isEmpty();
            last = all;
        }
        return last;
    }

    /**
     * Where two computations first differ (scope, version, a resource's name and bytes, notes), or "" when they
     * are the same: a short message instead of a diff of megabytes of hex.
     */
    private static String firstDifference(List<SnapshotResult> a, List<SnapshotResult> b) {
        if (a.size() != b.size()) {
            return "scope count " + a.size() + " vs " + b.size();
        }
        for (int i = 0; i < a.size(); i++) {
            ScopeSnapshot x = a.get(i).snapshot();
            ScopeSnapshot y = b.get(i).snapshot();
            if (!x.scope().equals(y.scope())) {
                return "scope " + i + ": " + x.scope() + " vs " + y.scope();
            }
            if (!x.resources().keySet().equals(y.resources().keySet())) {
                return x.scope() + ": types " + x.resources().keySet() + " vs " + y.resources().keySet();
            }
            for (String type : x.resources().keySet()) {
                Map<String, byte[]> xs = x.resources().get(type);
                Map<String, byte[]> ys = y.resources().get(type);
                if (!xs.keySet().equals(ys.keySet())) {
                    Set<String> only = new TreeSet<>(xs.keySet());
                    only.removeAll(ys.keySet());
                    Set<String> other = new TreeSet<>(ys.keySet());
                    other.removeAll(xs.keySet());
                    return x.scope() + " " + type + ": names only in the first " + only + ", only in the second "
                            + other;
                }
                for (String name : xs.keySet()) {
                    if (!java.util.Arrays.equals(xs.get(name), ys.get(name))) {
                        return x.scope() + " " + type + " " + name + " differs";
                    }
                }
            }
            if (!x.version().equals(y.version())) {
                return x.scope() + ": version " + x.version() + " vs " + y.version();
            }
            // A scope that shares another's computation (labels nothing reads) carries that computation's notes,
            // which name the scope computed: compare them without the scope's name.
            if (!withoutScope(a.get(i).notes()).equals(withoutScope(b.get(i).notes()))) {
                return x.scope() + ": notes " + a.get(i).notes() + " vs " + b.get(i).notes();
            }
        }
        return "";
    }

    private static List<String> withoutScope(List<?> notes) {
        return notes.stream().map(n -> n.toString().replaceAll(", (grpc|sidecar)[^,)]*\\)", ")")).toList();
    }

    /** Everything a scope publishes, as text: id, version, each resource's bytes in hex, and the notes. */
    private static List<String> render(List<SnapshotResult> results) {
        List<String> out = new ArrayList<>();
        for (SnapshotResult r : results) {
            StringBuilder sb = new StringBuilder(r.snapshot().scope()).append(' ').append(r.snapshot().version());
            r.snapshot().resources().forEach((type, byName) -> byName.forEach((name, bytes) ->
                    sb.append('\n').append(type).append(' ').append(name).append(' ')
                            .append(java.util.HexFormat.of().formatHex(bytes))));
            sb.append('\n').append(r.notes());
            out.add(sb.toString());
        }
        return out;
    }

    private static String scopeId(String app) {
        return ProxyScope.sidecar("ns0", Map.of("app", app), ProxyScope.Interception.REDIRECT).id();
    }

    private static List<ScopeSnapshot> snapshots(List<SnapshotResult> results) {
        return results.stream().map(SnapshotResult::snapshot).toList();
    }

    private static Map<String, String> hashes(ScopeSnapshot s, String type) {
        Map<String, String> out = new TreeMap<>();
        s.resources().get(type).forEach((name, bytes) -> out.put(name, ScopeSnapshot.hash(bytes)));
        return out;
    }

    private static Set<String> changedNames(ScopeSnapshot a, ScopeSnapshot b, String type) {
        Map<String, String> before = hashes(a, type);
        Map<String, String> after = hashes(b, type);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        Set<String> out = new TreeSet<>();
        before.forEach((name, hash) -> {
            if (!hash.equals(after.get(name))) {
                out.add(name);
            }
        });
        return out;
    }

    private static Set<String> hashesOf(ScopeSnapshot s, Set<String> endpoints) {
        Set<String> out = new TreeSet<>();
        endpoints.forEach(n -> out.add(ScopeSnapshot.hash(s.resources().get(TypeUrls.ENDPOINT).get(n))));
        return out;
    }
}
