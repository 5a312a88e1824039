package meshlog.reconciler;

import meshlog.xdscheck.SnapshotCheck;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import meshlog.configstore.scope.ProxyScope;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.configstore.state.ConfigState;
import meshlog.gatewayapi.parse.ParsedResource;
import meshlog.xdscheck.TypeUrls;
import org.junit.jupiter.api.Test;

class SnapshotComputerTest {

    static final String ECHO = "echo.demo.svc.cluster.local";

    static String config(int w1, int w2, String otherLabel) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: echo, namespace: demo}
                spec:
                  hosts: [echo.demo.svc.cluster.local]
                  resolution: STATIC
                  ports: [{number: 50051, name: grpc, protocol: GRPC}]
                  endpoints:
                  - {address: 10.0.0.1, labels: {version: v1}}
                  - {address: 10.0.0.2, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: echo, namespace: demo}
                spec:
                  host: echo
                  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: echo, namespace: demo}
                spec:
                  hosts: [echo]
                  http:
                  - route:
                    - {destination: {host: echo, subset: v1}, weight: %d}
                    - {destination: {host: echo, subset: v2}, weight: %d}
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: other, namespace: demo, labels: {team: %s}}
                spec:
                  hosts: [other.demo.svc.cluster.local]
                  resolution: STATIC
                  ports: [{number: 8080, name: http, protocol: HTTP}]
                  endpoints:
                  - {address: 10.1.0.1, labels: {version: %s}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: other, namespace: demo}
                spec:
                  host: other
                  subsets: [{name: blue, labels: {version: blue}}]
                """.formatted(w1, w2, otherLabel, otherLabel);
    }

    static ScopeSnapshot compute(String yaml) {
        return SnapshotComputer.compute(TestConfigs.state(yaml), "default", "c1");
    }

    @Test
    void sameInputSameBytesAndVersionWhateverTheOrderOfTheEvents() {
        List<ParsedResource> resources = TestConfigs.compile(config(80, 20, "blue")).resources();
        List<ParsedResource> reversed = new ArrayList<>(resources);
        Collections.reverse(reversed);

        ScopeSnapshot a = SnapshotComputer.compute(TestConfigs.replay(resources), "default", "c1");
        ScopeSnapshot b = SnapshotComputer.compute(TestConfigs.replay(resources), "default", "c1");
        ScopeSnapshot c = SnapshotComputer.compute(TestConfigs.replay(reversed), "default", "c1");

        assertThat(a.version()).isEqualTo(b.version()).isEqualTo(c.version());
        assertSameBytes(a, b);
        assertSameBytes(a, c);
    }

    @Test
    void theVersionIsAContentHashIndependentOfTheCommitAndMatchesVersionOf() {
        ConfigState state = TestConfigs.state(config(80, 20, "blue"));
        ScopeSnapshot a = SnapshotComputer.compute(state, "default", "c1");
        ScopeSnapshot b = SnapshotComputer.compute(state, "default", "c2");

        assertThat(a.version()).isEqualTo(b.version()).isEqualTo(ScopeSnapshot.versionOf(a.resources()));
        assertThat(b.commit()).isEqualTo("c2");
        assertThat(a.cluster()).isEqualTo("default");
        assertThat(a.resources()).containsOnlyKeys(TypeUrls.ALL);
    }

    @Test
    void changingOneWeightChangesTheVersionAndOnlyThatRouteConfiguration() {
        ScopeSnapshot before = compute(config(80, 20, "blue"));
        ScopeSnapshot after = compute(config(70, 30, "blue"));

        assertThat(after.version()).isNotEqualTo(before.version());
        assertThat(changed(before, after)).containsExactly(TypeUrls.ROUTE + " " + ECHO + ":50051");
    }

    @Test
    void changingAnUnrelatedObjectLeavesUnaffectedResourcesByteIdentical() {
        ScopeSnapshot before = compute(config(80, 20, "blue"));
        ScopeSnapshot after = compute(config(80, 20, "green"));

        // The other service's endpoint left subset "blue": only its assignment changes, nothing of echo.
        assertThat(changed(before, after)).containsExactly(
                TypeUrls.ENDPOINT + " outbound|8080|blue|other.demo.svc.cluster.local");
    }

    @Test
    void aMetadataLabelChangeChangesNothingServed() {
        String base = config(80, 20, "blue");
        String relabelled = base.replace("metadata: {name: echo, namespace: demo}\nspec:\n  host: echo",
                "metadata: {name: echo, namespace: demo, labels: {owner: someone-else}}\nspec:\n  host: echo");
        assertThat(relabelled).isNotEqualTo(base);

        assertThat(compute(relabelled).version()).isEqualTo(compute(base).version());
    }

    @Test
    void everySnapshotComputedIsConsistentAtScale() {
        ScopeSnapshot s = SnapshotComputer.compute(TestConfigs.state(GeneratedConfig.yaml(200)), "east", "c1");

        assertThat(SnapshotCheck.problems(s.resources())).isEmpty();
        assertThat(s.resources().get(TypeUrls.LISTENER)).as("each service by its host, <name>.<ns>.svc and <name>.<ns>").hasSize(600);
        assertThat(s.resources().get(TypeUrls.ROUTE)).hasSize(200);
        assertThat(s.resources().get(TypeUrls.CLUSTER)).hasSize(600);
        assertThat(s.resources().get(TypeUrls.ENDPOINT)).hasSize(600);
    }

    @Test
    void anEmptyStateGivesAnEmptyButCompleteSnapshot() {
        ScopeSnapshot s = SnapshotComputer.compute(ConfigState.EMPTY, "default", null);

        assertThat(s.resources()).containsOnlyKeys(TypeUrls.ALL);
        assertThat(s.resources().values()).allSatisfy(m -> assertThat(m).isEmpty());
    }

    @Test
    void clustersAreTheDeclaredClusterObjectsSortedOrTheDefaults() {
        String clusters = """
                apiVersion: meshlog.dev/v1alpha1
                kind: Cluster
                metadata: {name: west}
                spec: {locality: us-west}
                ---
                apiVersion: meshlog.dev/v1alpha1
                kind: Cluster
                metadata: {name: east}
                spec: {locality: us-east}
                """;

        assertThat(SnapshotComputer.clusters(TestConfigs.state(clusters), List.of("default")))
                .containsExactly("east", "west");
        assertThat(SnapshotComputer.clusters(TestConfigs.state(config(80, 20, "blue")), List.of("c1", "c2")))
                .containsExactly("c1", "c2");
        assertThat(SnapshotComputer.clusters(ConfigState.EMPTY, List.of())).isEmpty();
    }

    @Test
    void notesComeBackWithTheSnapshot() {
        String yaml = config(80, 20, "blue") + """
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: nowhere, namespace: demo}
                spec:
                  hosts: [nowhere]
                  http:
                  - route:
                    - destination: {host: echo}
                """;

        SnapshotResult r = SnapshotComputer.computeWithNotes(TestConfigs.state(yaml), "default", "c1");

        assertThat(r.notes()).extracting(n -> n.resource()).containsExactly("VirtualService demo/nowhere");
        assertThat(r.snapshot().version()).isEqualTo(compute(config(80, 20, "blue")).version());
    }

    @Test
    void everyDistinctNamespaceAndLabelsOfTheWorkloadEntriesGetsASidecarScopeAheadOfTime() {
        ConfigState state = TestConfigs.state("""
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: vm-1, namespace: vms}
                spec: {address: 10.0.0.1, labels: {app: reviews, version: v1}}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: vm-2, namespace: vms}
                spec: {address: 10.0.0.2, labels: {version: v1, app: reviews}}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: vm-3, namespace: vms}
                spec: {address: 10.0.0.3}
                """);

        ProxyScope vm = ProxyScope.sidecar("vms", Map.of("app", "reviews", "version", "v1"),
                ProxyScope.Interception.REDIRECT);
        List<ProxyScope> scopes = SnapshotComputer.sidecarScopes(state);
        assertThat(scopes).contains(vm, ProxyScope.sidecar("vms", Map.of(), ProxyScope.Interception.NONE))
                .hasSize(5); // default and vms in both modes, and the one labelled scope for vm-1 and vm-2
        assertThat(SnapshotComputer.computeAll(state, "default", "c1")).extracting(r -> r.snapshot().scope())
                .contains(vm.id());
    }

    @Test
    void scopesDifferingOnlyInLabelsNothingSelectsOnShareOneResultAndTheOthersDiffer() {
        String yaml = config(80, 20, "blue") + """
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: reviews, namespace: demo}
                spec:
                  hosts: [reviews.demo.svc.cluster.local]
                  resolution: STATIC
                  workloadSelector: {labels: {app: reviews}}
                  ports: [{number: 9080, name: http, protocol: HTTP}]
                """;
        var redirect = meshlog.configstore.scope.ProxyScope.Interception.REDIRECT;
        var a = meshlog.configstore.scope.ProxyScope.sidecar("demo", Map.of("app", "reviews", "pod", "a"), redirect);
        var b = meshlog.configstore.scope.ProxyScope.sidecar("demo", Map.of("app", "reviews", "pod", "b"), redirect);
        var other = meshlog.configstore.scope.ProxyScope.sidecar("demo", Map.of("app", "ratings"), redirect);

        Map<String, ScopeSnapshot> byScope = new java.util.HashMap<>();
        SnapshotComputer.computeAll(TestConfigs.state(yaml), "default", "c1", java.util.Set.of(a, b, other))
                .forEach(r -> byScope.put(r.snapshot().scope(), r.snapshot()));

        // "pod" is a label nothing selects on: a and b are one computation, published under both ids.
        assertSameBytes(byScope.get(a.id()), byScope.get(b.id()));
        assertThat(byScope.get(a.id()).version()).isEqualTo(byScope.get(b.id()).version());
        assertThat(byScope.get(b.id()).scope()).isEqualTo(b.id());
        // app=reviews is selected by the ServiceEntry: its workload gets an inbound chain, app=ratings none.
        assertThat(changed(byScope.get(a.id()), byScope.get(other.id())))
                .contains(TypeUrls.LISTENER + " virtualInbound", TypeUrls.CLUSTER + " inbound|9080||");
        assertThat(byScope.get(a.id()).version()).isEqualTo(SnapshotComputer.computeWithNotes(
                TestConfigs.state(yaml), "default", a, "c1").snapshot().version());
    }

    @Test
    void aGrpcScopePerNamespaceAndOnlyNamespacesWhereAShortNameResolvesComputedApart() {
        String yaml = config(80, 20, "blue") + """
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: ratings, namespace: demo}
                spec:
                  hosts: [ratings.prod.svc.cluster.local]
                  resolution: STATIC
                  ports: [{number: 9080, name: grpc, protocol: GRPC}]
                  endpoints: [{address: 10.2.0.1}]
                """;
        ProxyScope requested = ProxyScope.grpc("shop");
        Map<String, ScopeSnapshot> byScope = new java.util.LinkedHashMap<>();
        SnapshotComputer.computeAll(TestConfigs.state(yaml), "default", "c1", java.util.Set.of(requested))
                .forEach(r -> byScope.put(r.snapshot().scope(), r.snapshot()));

        // The namespace-less scope first; then default and demo (the config's), prod (a host's namespace, named by
        // no object's metadata) and the requested shop.
        assertThat(byScope.keySet()).startsWith("grpc").contains("grpc~default", "grpc~demo", "grpc~prod",
                "grpc~shop");
        assertThat(changed(byScope.get("grpc"), byScope.get("grpc~demo"))).contains(
                TypeUrls.LISTENER + " echo:50051", TypeUrls.ROUTE + " echo.demo.svc.cluster.local:50051");
        assertThat(changed(byScope.get("grpc"), byScope.get("grpc~prod")))
                .containsExactly(TypeUrls.LISTENER + " ratings:9080",
                        TypeUrls.ROUTE + " ratings.prod.svc.cluster.local:9080");
        // No short name resolves in default or shop: the namespace-less result, published under their ids.
        for (String same : List.of("grpc~default", "grpc~shop")) {
            assertSameBytes(byScope.get("grpc"), byScope.get(same));
            assertThat(byScope.get(same).version()).isEqualTo(byScope.get("grpc").version());
        }
        assertThat(byScope.get("grpc~demo").version()).isEqualTo(SnapshotComputer.computeWithNotes(
                TestConfigs.state(yaml), "default", ProxyScope.grpc("demo"), "c1").snapshot().version());
    }

    static void assertSameBytes(ScopeSnapshot a, ScopeSnapshot b) {
        assertThat(changed(a, b)).isEmpty();
    }

    /** "typeUrl name" of every resource added, removed or with different bytes. */
    static List<String> changed(ScopeSnapshot a, ScopeSnapshot b) {
        List<String> out = new ArrayList<>();
        for (String type : TypeUrls.ALL) {
            Map<String, byte[]> x = a.resources().getOrDefault(type, Map.of());
            Map<String, byte[]> y = b.resources().getOrDefault(type, Map.of());
            java.util.TreeSet<String> names = new java.util.TreeSet<>(x.keySet());
            names.addAll(y.keySet());
            for (String name : names) {
                if (!x.containsKey(name) || !y.containsKey(name) || !java.util.Arrays.equals(x.get(name), y.get(name))) {
                    out.add(type + " " + name);
                }
            }
        }
        return out;
    }
}
