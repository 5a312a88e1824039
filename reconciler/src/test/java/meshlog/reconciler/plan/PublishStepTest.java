package meshlog.reconciler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import meshlog.configstore.scope.ProxyScope;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.configstore.state.ConfigState;
import meshlog.reconciler.InconsistentSnapshotException;
import meshlog.reconciler.SnapshotComputer;
import meshlog.reconciler.SnapshotResult;
import meshlog.reconciler.TestConfigs;
import meshlog.xdscheck.SnapshotCheck;
import meshlog.xdscheck.TypeUrls;
import org.junit.jupiter.api.Test;

/** The reconciler's decisions, over real translations of real config, without a broker. */
class PublishStepTest {

    static final Instant NOW = Instant.parse("2026-12-07T02:00:00Z");

    static final String SERVICE = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: echo, namespace: demo}
            spec:
              hosts: [echo.demo.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 50051, name: grpc, protocol: GRPC}]
              endpoints: [{address: 10.0.0.1}]
            """;

    static final String EAST = """
            ---
            apiVersion: meshlog.dev/v1alpha1
            kind: Cluster
            metadata: {name: east}
            spec: {locality: us-east}
            """;

    static final String WEST = """
            ---
            apiVersion: meshlog.dev/v1alpha1
            kind: Cluster
            metadata: {name: west}
            spec: {locality: us-west}
            """;

    static PublishStep.Inputs inputs(ConfigState state, Map<String, Set<ProxyScope>> requested,
                                     Map<String, Map<String, PublishStep.PublishedScope>> last) {
        return new PublishStep.Inputs(state, List.of("default"), requested, last, NOW);
    }

    /** What the shell records after writing every publication the decisions name. */
    static Map<String, Map<String, PublishStep.PublishedScope>> afterWriting(PublishStep.Decisions d,
            Map<String, Map<String, PublishStep.PublishedScope>> before) {
        Map<String, Map<String, PublishStep.PublishedScope>> out = new TreeMap<>(before);
        d.publish().keySet().forEach(c -> out.put(c, d.publishedScopes(c)));
        return out;
    }

    static List<String> scopeIds(List<ScopeSnapshot> scopes) {
        return scopes.stream().map(ScopeSnapshot::scope).toList();
    }

    @Test
    void theFirstDecisionPublishesEveryClusterWithTheGrpcScopeFirst() {
        PublishStep.Decisions d = PublishStep.decide(inputs(TestConfigs.state(SERVICE + EAST + WEST), Map.of(),
                Map.of()));

        assertThat(d.commit()).isEqualTo("c1");
        assertThat(d.at()).isEqualTo(NOW);
        assertThat(d.publish()).containsOnlyKeys("east", "west");
        assertThat(scopeIds(d.publish().get("east"))).containsExactly("grpc", "grpc~default", "grpc~demo", "sidecar~default~NONE~e3b0c442",
                "sidecar~default~REDIRECT~e3b0c442", "sidecar~demo~NONE~e3b0c442", "sidecar~demo~REDIRECT~e3b0c442");
        assertThat(d.publish().get("east")).allSatisfy(s -> assertThat(s.commit()).isEqualTo("c1"));
        assertThat(d.failures()).isEmpty();
        assertThat(d.withdrawn()).isEmpty();
        assertThat(d.left()).isEmpty();
    }

    @Test
    void aReconcilerComputesOnlyTheClustersOfItsShards() {
        ConfigState state = TestConfigs.state(SERVICE + EAST + WEST);
        int east = Shards.of("east", 12);
        int west = Shards.of("west", 12);
        assertThat(east).as("the two test clusters hash to different shards").isNotEqualTo(west);

        PublishStep.Decisions mine = PublishStep.decide(new PublishStep.Inputs(state, List.of("default"), Map.of(),
                Map.of(), NOW, new Shards(12, Set.of(east))));
        PublishStep.Decisions none = PublishStep.decide(new PublishStep.Inputs(state, List.of("default"), Map.of(),
                Map.of(), NOW, new Shards(12, Set.of())));

        assertThat(mine.publish()).containsOnlyKeys("east");
        assertThat(mine.left()).as("west is another reconciler's, not gone from the config").isEmpty();
        assertThat(none.publish()).isEmpty();
    }

    @Test
    void unchangedResourcesPublishNothing() {
        ConfigState state = TestConfigs.state(SERVICE + EAST + WEST);
        PublishStep.Decisions first = PublishStep.decide(inputs(state, Map.of(), Map.of()));

        PublishStep.Decisions again = PublishStep.decide(inputs(TestConfigs.state(SERVICE + EAST + WEST), Map.of(),
                afterWriting(first, Map.of())));

        assertThat(again.publish()).isEmpty();
        assertThat(again.failures()).isEmpty();
    }

    @Test
    void aChangedServicePublishesEveryClusterItReaches() {
        ConfigState state = TestConfigs.state(SERVICE + EAST + WEST);
        var last = afterWriting(PublishStep.decide(inputs(state, Map.of(), Map.of())), Map.of());

        PublishStep.Decisions d = PublishStep.decide(inputs(TestConfigs.state(
                SERVICE.replace("10.0.0.1", "10.0.0.9") + EAST + WEST), Map.of(), last));

        assertThat(d.publish()).containsOnlyKeys("east", "west");
        assertThat(d.publish().get("east").get(0).version()).isNotEqualTo(last.get("east").get("grpc").version());
    }

    @Test
    void aRemovedClustersScopesAreLeftAsPublishedAndNamed() {
        var last = afterWriting(PublishStep.decide(inputs(TestConfigs.state(SERVICE + EAST + WEST), Map.of(),
                Map.of())), Map.of());

        PublishStep.Decisions d = PublishStep.decide(inputs(TestConfigs.state(SERVICE + EAST), Map.of(), last));

        assertThat(d.publish()).isEmpty(); // east is unchanged
        assertThat(d.left()).containsOnlyKeys("west");
        assertThat(d.left().get("west")).containsExactlyInAnyOrderElementsOf(last.get("west").keySet());
    }

    @Test
    void aScopeNoLongerComputedIsWithdrawnByItsClustersPublication() {
        ConfigState state = TestConfigs.state(SERVICE + EAST);
        var last = new HashMap<>(afterWriting(PublishStep.decide(inputs(state, Map.of(), Map.of())), Map.of()));
        Map<String, PublishStep.PublishedScope> east = new TreeMap<>(last.get("east"));
        east.put("sidecar~gone~~NONE", new PublishStep.PublishedScope("v0", "c0"));
        last.put("east", east);

        PublishStep.Decisions d = PublishStep.decide(inputs(state, Map.of(), last));

        assertThat(d.publish()).containsOnlyKeys("east");
        assertThat(scopeIds(d.publish().get("east"))).doesNotContain("sidecar~gone~~NONE");
        assertThat(d.withdrawn()).containsExactly(Map.entry("east", Set.of("sidecar~gone~~NONE")));
    }

    @Test
    void aRequestedScopeIsComputedForItsClusterOnly() {
        ConfigState state = TestConfigs.state(SERVICE + EAST + WEST);
        var last = afterWriting(PublishStep.decide(inputs(state, Map.of(), Map.of())), Map.of());
        ProxyScope pod = ProxyScope.sidecar("demo", Map.of("app", "echo"), ProxyScope.Interception.REDIRECT);

        PublishStep.Decisions d = PublishStep.decide(inputs(state, Map.of("west", Set.of(pod)), last));

        assertThat(d.publish()).containsOnlyKeys("west");
        assertThat(scopeIds(d.publish().get("west"))).contains(pod.id());
    }

    @Test
    void anInconsistentSnapshotKeepsTheLastGoodOneAndIsReported() {
        ConfigState state = TestConfigs.state(SERVICE + EAST + WEST);
        var last = afterWriting(PublishStep.decide(inputs(state, Map.of(), Map.of())), Map.of());
        // A translation bug in west: its route configuration goes missing (what no valid config can cause).
        PublishStep.Computer buggy = (s, cluster, commit, requested) -> {
            List<SnapshotResult> results = SnapshotComputer.computeAll(s, cluster, commit, requested);
            if (!cluster.equals("west")) {
                return results;
            }
            Map<String, Map<String, byte[]>> broken = new TreeMap<>(results.get(0).snapshot().resources());
            broken.put(TypeUrls.ROUTE, Map.of());
            throw new InconsistentSnapshotException(cluster, SnapshotCheck.problems(broken));
        };

        PublishStep.Decisions d = PublishStep.decide(inputs(TestConfigs.state(
                SERVICE.replace("10.0.0.1", "10.0.0.9") + EAST + WEST), Map.of(), last), buggy);

        assertThat(d.publish()).containsOnlyKeys("east");
        String missing = ": refers to route configuration \"echo.demo.svc.cluster.local:50051\", which the snapshot"
                + " does not hold";
        assertThat(d.failures()).containsExactly(Map.entry("west", "snapshot for cluster west is inconsistent (3 "
                + "problems):\n  listener echo.demo.svc.cluster.local:50051" + missing
                + "\n  listener echo.demo.svc:50051" + missing + "\n  listener echo.demo:50051" + missing));
        assertThat(afterWriting(d, last).get("west")).as("west's last good snapshot stays").isEqualTo(last.get("west"));
    }

    @Test
    void anEmptyBranchPublishesNothing() {
        PublishStep.Decisions d = PublishStep.decide(inputs(ConfigState.EMPTY, Map.of(), Map.of()));

        assertThat(d.commit()).isNull();
        assertThat(d.publish()).isEmpty();
        assertThat(d.failures()).isEmpty();
    }
}
