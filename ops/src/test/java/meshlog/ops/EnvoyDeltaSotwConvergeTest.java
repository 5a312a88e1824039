package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.xdscheck.TypeUrls;
import meshlog.testkit.EnvoyBinary;
import meshlog.testkit.EnvoyProcess;
import meshlog.testkit.HttpBackend;
import meshlog.xds.XdsDistributor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real Envoy 1.40 sidecars of one scope on one distributor, one on delta ADS ({@code meshlog bootstrap}'s
 * default) and one on state of the world ({@code --sotw}): after each config change both hold the same resources at
 * the same type versions, and route real traffic the same way.
 *
 * <p>Both bind the same outbound listener {@code 127.0.0.1_P} (Envoy sets {@code SO_REUSEPORT} on Linux), so the
 * kernel hands each connection to one of them; each Envoy's own cluster counters say which routes it took.
 */
class EnvoyDeltaSotwConvergeTest {

    @TempDir
    Path tmp;

    /** One step: the routes served, and which subset a plain call and a {@code x-canary: yes} call must reach. */
    record Step(String lb, String http, String plain, String canary) {
    }

    static final List<Step> STEPS = List.of(
            new Step("ROUND_ROBIN", "  - route: [{destination: {host: web, subset: v1}}]\n", "v1", "v1"),
            new Step("ROUND_ROBIN", """
                      - match: [{headers: {x-canary: {exact: "yes"}}}]
                        route: [{destination: {host: web, subset: v2}}]
                      - route: [{destination: {host: web, subset: v1}}]
                    """, "v1", "v2"),
            // Clusters change too (their load balancer), routes not.
            new Step("LEAST_REQUEST", """
                      - match: [{headers: {x-canary: {exact: "yes"}}}]
                        route: [{destination: {host: web, subset: v2}}]
                      - route: [{destination: {host: web, subset: v1}}]
                    """, "v1", "v2"),
            new Step("LEAST_REQUEST", "  - route: [{destination: {host: web, subset: v2}}]\n", "v2", "v2"));

    static final int CALLS = 40;

    @Test
    void aDeltaAndASotwEnvoyConvergeToTheSameVersionsAndRoutes() throws Exception {
        EnvoyBinary.require();
        int port = EnvoySidecar.freePort();
        try (HttpBackend v1 = HttpBackend.start("v1"); HttpBackend v2 = HttpBackend.start("v2");
             SidecarFleet fleet = new SidecarFleet(tmp)) {
            XdsDistributor distributor = fleet.distributor();
            distributor.accept(snapshot(port, v1, v2, STEPS.get(0)));
            EnvoyProcess delta = fleet.envoy("client-delta", false, distributor);
            EnvoyProcess sotw = fleet.envoy("client-sotw", true, distributor);
            Map<String, String> before = null;
            ScopeSnapshot previous = null;
            Map<String, Map<String, String>> onSotw = null;
            for (Step step : STEPS) {
                ScopeSnapshot snapshot = snapshot(port, v1, v2, step);
                distributor.accept(snapshot);
                SidecarFleet.awaitInSync(distributor, "client-delta", Duration.ofSeconds(20));
                SidecarFleet.awaitInSync(distributor, "client-sotw", Duration.ofSeconds(20));
                Map<String, String> served = distributor.currentTypeVersions(EnvoySidecar.SCOPE.id());
                assertThat(SidecarFleet.acked(distributor, "client-delta")).containsAllEntriesOf(served);
                assertThat(SidecarFleet.acked(distributor, "client-sotw")).containsAllEntriesOf(served);
                if (before != null) {
                    assertThat(served).as("each step changes what is served").isNotEqualTo(before);
                }
                before = served;
                onSotw = assertHeld(delta, sotw, snapshot, previous, onSotw, served);
                previous = snapshot;
                assertRoutes(delta, sotw, port, step);
            }
            for (EnvoyProcess envoy : List.of(delta, sotw)) {
                assertThat(envoy.stat("cluster_manager.cds.update_rejected")).isZero();
                assertThat(envoy.stat("listener_manager.lds.update_rejected")).isZero();
            }
            assertThat(distributor.nacksReceived()).isZero();
        }
    }

    /**
     * Both Envoys' config_dump: the same resources, CDS and LDS at the served type version, each cluster the same
     * endpoints. Per resource, the delta Envoy has the SHA-256 version of its bytes (the same on every replica). The
     * SotW Envoy gives a resource the type version of the response that changed it: a resource this step changed has
     * the type version served now, one it did not change keeps the version it had (Envoy skips an unchanged cluster
     * or listener, it does not rebuild it).
     *
     * @return what the SotW Envoy holds, for the next step
     */
    static Map<String, Map<String, String>> assertHeld(EnvoyProcess delta, EnvoyProcess sotw, ScopeSnapshot snapshot,
                                                       ScopeSnapshot previous,
                                                       Map<String, Map<String, String>> previouslyOnSotw,
                                                       Map<String, String> served) {
        Map<String, Map<String, String>> onDelta = SidecarFleet.held(delta);
        Map<String, Map<String, String>> onSotw = SidecarFleet.held(sotw);
        assertThat(onDelta.get(TypeUrls.ENDPOINT)).as("endpoints").isEqualTo(onSotw.get(TypeUrls.ENDPOINT))
                .containsKeys(snapshot.resources().get(TypeUrls.ENDPOINT).keySet().toArray(String[]::new));
        for (String type : List.of(TypeUrls.CLUSTER, TypeUrls.LISTENER, TypeUrls.ROUTE)) {
            Map<String, String> wantDelta = new TreeMap<>();
            Map<String, String> wantSotw = new TreeMap<>();
            snapshot.resources().get(type).forEach((name, bytes) -> {
                wantDelta.put(name, ScopeSnapshot.hash(bytes).substring(0, 16));
                byte[] before = previous == null ? null : previous.resources().get(type).get(name);
                wantSotw.put(name, java.util.Arrays.equals(before, bytes)
                        ? previouslyOnSotw.get(type).get(name) : served.get(type));
            });
            if (type.equals(TypeUrls.CLUSTER) || type.equals(TypeUrls.LISTENER)) {
                wantDelta.put("", served.get(type));
                wantSotw.put("", served.get(type));
            }
            assertThat(onDelta.get(type)).as("delta " + type).isEqualTo(wantDelta);
            assertThat(onSotw.get(type)).as("sotw " + type).isEqualTo(wantSotw);
        }
        return onSotw;
    }

    /** Plain and canary calls each reach the step's subset, and both Envoys carried some of them. */
    static void assertRoutes(EnvoyProcess delta, EnvoyProcess sotw, int port, Step step) {
        HttpCalls calls = new HttpCalls(port);
        Map<String, Long> deltaBefore = subsetRequests(delta, port);
        Map<String, Long> sotwBefore = subsetRequests(sotw, port);
        for (int i = 0; i < CALLS; i++) {
            assertThat(calls.get("web", "/").backend()).as("plain call " + i).isEqualTo(step.plain());
            assertThat(calls.get("web", "/", "x-canary", "yes").backend()).as("canary call " + i)
                    .isEqualTo(step.canary());
        }
        Map<String, Long> byDelta = delta(deltaBefore, subsetRequests(delta, port));
        Map<String, Long> bySotw = delta(sotwBefore, subsetRequests(sotw, port));
        assertThat(byDelta.values().stream().mapToLong(Long::longValue).sum()
                + bySotw.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2 * CALLS);
        assertThat(byDelta.get(step.plain())).as("the delta Envoy carried calls").isPositive();
        assertThat(bySotw.get(step.plain())).as("the SotW Envoy carried calls").isPositive();
        if (step.plain().equals(step.canary())) {
            String other = step.plain().equals("v1") ? "v2" : "v1";
            assertThat(byDelta.get(other)).isZero();
            assertThat(bySotw.get(other)).isZero();
        }
    }

    /** Requests each subset cluster of {@code web} has sent upstream, by subset. */
    static Map<String, Long> subsetRequests(EnvoyProcess envoy, int port) {
        Map<String, Long> out = new TreeMap<>();
        for (String subset : List.of("v1", "v2")) {
            long n = envoy.stat("cluster.outbound|" + port + "|" + subset + "|web.demo.svc.cluster.local.upstream_rq_total");
            out.put(subset, Math.max(0, n));
        }
        return out;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new TreeMap<>();
        after.forEach((k, v) -> out.put(k, v - before.get(k)));
        return out;
    }

    static ScopeSnapshot snapshot(int port, HttpBackend v1, HttpBackend v2, Step step) {
        String yaml = EnvoySidecar.webConfig(port, v1.port(), v2.port(), step.http())
                .replace("  host: web\n  subsets:", "  host: web\n  trafficPolicy: {loadBalancer: {simple: "
                        + step.lb() + "}}\n  subsets:");
        return EnvoySidecar.snapshot(yaml);
    }
}
