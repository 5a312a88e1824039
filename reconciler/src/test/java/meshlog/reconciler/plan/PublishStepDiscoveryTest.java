package meshlog.reconciler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.endpoints.DiscoveredService;
import meshlog.configstore.endpoints.ServiceEndpoint;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.configstore.state.ConfigState;
import meshlog.reconciler.TestConfigs;
import meshlog.xdscheck.TypeUrls;
import org.junit.jupiter.api.Test;

/** Decisions over Kubernetes Services from {@code meshlog.endpoints}: Bookinfo's golden records. */
class PublishStepDiscoveryTest {

    static final List<DiscoveredService> BOOKINFO = TestConfigs.discovered(
            Path.of("src/test/resources/golden/bookinfo-kubernetes"));

    static final String CONFIG = """
            apiVersion: meshlog.dev/v1alpha1
            kind: Cluster
            metadata: {name: east}
            spec: {locality: eu-west}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews, namespace: default}
            spec:
              host: reviews
              subsets:
              - {name: v2, labels: {version: v2}}
              - {name: v3, labels: {version: v3}}
            """;

    static PublishStep.Decisions decide(ConfigState state, List<DiscoveredService> discovered,
                                        Map<String, Map<String, PublishStep.PublishedScope>> last) {
        return PublishStep.decide(new PublishStep.Inputs(state, List.of(), Map.of(), last, PublishStepTest.NOW,
                Shards.ALL, discovered));
    }

    @Test
    void anEndpointOnlyChangeChangesOnlyEndpointAssignments() {
        ConfigState state = TestConfigs.state(CONFIG);
        PublishStep.Decisions before = decide(state, BOOKINFO, Map.of());
        List<DiscoveredService> oneLess = new ArrayList<>(BOOKINFO);
        DiscoveredService reviews = oneLess.stream().filter(s -> s.name().equals("reviews")).findFirst().orElseThrow();
        oneLess.set(oneLess.indexOf(reviews), new DiscoveredService(1, reviews.cluster(), reviews.namespace(),
                reviews.name(), reviews.hostname(), reviews.kind(), reviews.externalName(), reviews.vips(),
                reviews.ports(), reviews.endpoints().stream().filter(e -> !e.labels().get("version").equals("v3"))
                .toList(), 0));

        PublishStep.Decisions after = decide(state, oneLess, PublishStepTest.afterWriting(before, Map.of()));

        assertThat(after.publish()).containsOnlyKeys("east");
        for (int i = 0; i < before.publish().get("east").size(); i++) {
            ScopeSnapshot a = before.publish().get("east").get(i);
            ScopeSnapshot b = after.publish().get("east").get(i);
            assertThat(changed(a, b)).as(a.scope()).containsExactly(TypeUrls.ENDPOINT
                    + " outbound|9080|v3|reviews.default.svc.cluster.local", TypeUrls.ENDPOINT
                    + " outbound|9080||reviews.default.svc.cluster.local");
        }
    }

    @Test
    void recordsOfAClusterTheMeshDoesNotNameAreNotServed() {
        List<DiscoveredService> elsewhere = BOOKINFO.stream().map(s -> new DiscoveredService(1, "gone",
                s.namespace(), s.name(), s.hostname(), s.kind(), s.externalName(), s.vips(), s.ports(),
                s.endpoints(), 0)).toList();

        PublishStep.Decisions d = decide(TestConfigs.state(CONFIG), elsewhere, Map.of());

        assertThat(d.publish().get("east").get(0).resources().get(TypeUrls.CLUSTER)).isEmpty();
        assertThat(decide(TestConfigs.state(CONFIG), BOOKINFO, Map.of()).publish().get("east").get(0).resources()
                .get(TypeUrls.CLUSTER)).hasSize(6);
    }

    @Test
    void aClusterRemovedFromGitTakesItsEndpointsWithItAndOnlyEndpointsChange() throws Exception {
        String twoClusters = CONFIG + """
                ---
                apiVersion: meshlog.dev/v1alpha1
                kind: Cluster
                metadata: {name: west}
                spec: {locality: eu-central}
                """;
        DiscoveredService reviews = BOOKINFO.stream().filter(s -> s.name().equals("reviews")).findFirst()
                .orElseThrow();
        ServiceEndpoint e = reviews.endpoints().get(0);
        // reviews also runs in west, on an address of its own; its discovery keeps writing after the removal.
        DiscoveredService inWest = new DiscoveredService(1, "west", reviews.namespace(), reviews.name(),
                reviews.hostname(), reviews.kind(), reviews.externalName(), reviews.vips(), reviews.ports(),
                List.of(new ServiceEndpoint("10.9.9.9", e.ports(), e.labels(), e.locality(), e.health(),
                        e.serviceAccount(), "reviews-west", "node-west", e.network())), 0);
        List<DiscoveredService> records = new ArrayList<>(BOOKINFO);
        records.add(inWest);

        PublishStep.Decisions before = decide(TestConfigs.state(twoClusters), records, Map.of());
        assertThat(before.publish()).containsOnlyKeys("east", "west");
        assertThat(addresses(before.publish().get("east").get(0))).contains("10.9.9.9");

        PublishStep.Decisions after = decide(TestConfigs.state(CONFIG), records,
                PublishStepTest.afterWriting(before, Map.of()));

        assertThat(after.publish()).containsOnlyKeys("east");
        ScopeSnapshot east = after.publish().get("east").get(0);
        List<String> eastOnly = new ArrayList<>(addresses(before.publish().get("east").get(0)));
        eastOnly.remove("10.9.9.9");
        assertThat(eastOnly).hasSize(3);
        assertThat(addresses(east)).containsExactlyInAnyOrderElementsOf(eastOnly);
        assertThat(changed(before.publish().get("east").get(0), east)).allMatch(k -> k.startsWith(TypeUrls.ENDPOINT))
                .contains(TypeUrls.ENDPOINT + " outbound|9080||reviews.default.svc.cluster.local");
    }

    /** The endpoint addresses of reviews' default subset in a snapshot. */
    private static List<String> addresses(ScopeSnapshot s) throws Exception {
        byte[] cla = s.resources().get(TypeUrls.ENDPOINT).get("outbound|9080||reviews.default.svc.cluster.local");
        return io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.parseFrom(cla).getEndpointsList()
                .stream().flatMap(l -> l.getLbEndpointsList().stream())
                .map(l -> l.getEndpoint().getAddress().getSocketAddress().getAddress()).toList();
    }

    /** {@code type name} of every resource added, removed or different between two snapshots, sorted. */
    static List<String> changed(ScopeSnapshot a, ScopeSnapshot b) {
        TreeMap<String, byte[]> x = flat(a);
        TreeMap<String, byte[]> y = flat(b);
        java.util.TreeSet<String> keys = new java.util.TreeSet<>(x.keySet());
        keys.addAll(y.keySet());
        return keys.stream().filter(k -> !java.util.Arrays.equals(x.get(k), y.get(k))).toList();
    }

    private static TreeMap<String, byte[]> flat(ScopeSnapshot s) {
        TreeMap<String, byte[]> out = new TreeMap<>();
        s.resources().forEach((type, byName) -> byName.forEach((name, bytes) -> out.put(type + " " + name, bytes)));
        return out;
    }
}
