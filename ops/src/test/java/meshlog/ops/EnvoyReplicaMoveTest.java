package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.xdscheck.TypeUrls;
import meshlog.testkit.EnvoyBinary;
import meshlog.testkit.EnvoyProcess;
import meshlog.testkit.HttpBackend;
import meshlog.xds.XdsDistributor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Envoy 1.40 sidecar whose bootstrap lists two distributor replicas of one cluster, both serving the same
 * snapshot: the replica it is connected to is closed, Envoy reconnects to the other, and traffic through it keeps
 * flowing meanwhile. On delta ADS the other replica sends no resource (Envoy names what it holds in
 * {@code initial_resource_versions}, at versions every replica computes alike). On state of the world, which has no
 * per-resource versions, it resends the route configurations and assignments Envoy names (not its clusters and
 * listeners, whose type versions Envoy names as current), at the same versions, so Envoy changes nothing.
 */
class EnvoyReplicaMoveTest {

    private static final String POD = "client-mover";
    /** Envoy's counters that move when it adds, rebuilds or rejects a cluster or listener. */
    private static final List<String> CHURN = List.of("cluster_manager.cluster_added",
            "cluster_manager.cluster_modified", "cluster_manager.cluster_removed", "listener_manager.listener_added",
            "listener_manager.listener_modified", "listener_manager.listener_removed",
            "cluster_manager.cds.update_rejected", "listener_manager.lds.update_rejected");

    @TempDir
    Path tmp;

    @Test
    void aDeltaEnvoyMovedToAnotherReplicaIsResentNothing() throws Exception {
        Moved moved = move(false);
        // One response per type, each empty: Envoy's initial_resource_versions named every resource at the version
        // the second replica has.
        assertThat(moved.responsesSent()).isEqualTo(counts(1, 1, 1, 1));
        assertThat(moved.resourcesSent()).as("resources the second replica sent").isEqualTo(counts(0, 0, 0, 0));
        // Envoy ACKs an empty response as an update, which changes nothing (no cluster or listener churn above).
        assertThat(moved.envoyUpdates()).isEqualTo(Map.of("cds", 1L, "lds", 1L));
        assertThat(moved.afterChange()).as("resources sent for a route change after the move")
                .isEqualTo(counts(0, 0, 0, 1));
    }

    @Test
    void aSotwEnvoyMovedToAnotherReplicaIsResentOnlyItsNamedResourcesAtTheSameVersions() throws Exception {
        Moved moved = move(true);
        // Envoy names the version it holds of each type. CDS and LDS (wildcard) at the version served: no response.
        // RDS and EDS name resources this new stream has not been sent: SotW has no per-resource versions, so the
        // replica sends them all again, at the same type versions (Envoy's EDS and RDS update changes nothing).
        int assignments = moved.snapshot().resources().get(TypeUrls.ENDPOINT).size();
        assertThat(moved.responsesSent()).isEqualTo(counts(0, 1, 0, 1));
        assertThat(moved.resourcesSent()).as("resources the second replica sent")
                .isEqualTo(counts(0, assignments, 0, 1));
        assertThat(moved.envoyUpdates()).isEqualTo(Map.of("cds", 0L, "lds", 0L));
        assertThat(moved.afterChange()).as("resources sent for a route change after the move")
                .isEqualTo(counts(0, 0, 0, 1));
    }

    /** Counts per type URL, in the order cluster, endpoint, listener, route. */
    private static Map<String, Long> counts(long clusters, long endpoints, long listeners, long routes) {
        return Map.of(TypeUrls.CLUSTER, clusters, TypeUrls.ENDPOINT, endpoints, TypeUrls.LISTENER, listeners,
                TypeUrls.ROUTE, routes);
    }

    /** Per type, what {@code now} has more than {@code before} (0 for a type neither has). */
    private static Map<String, Long> since(Map<String, Long> before, Map<String, Long> now) {
        Map<String, Long> out = new TreeMap<>();
        TypeUrls.ALL.forEach(t -> out.put(t, now.getOrDefault(t, 0L) - before.getOrDefault(t, 0L)));
        return out;
    }

    /**
     * What the move took and sent: the second replica's responses and resources per type until Envoy was in sync
     * there, Envoy's CDS and LDS update counts meanwhile, and the resources sent for a route change afterwards.
     */
    record Moved(ScopeSnapshot snapshot, Map<String, Long> responsesSent, Map<String, Long> resourcesSent,
                 Map<String, Long> envoyUpdates, Map<String, Long> afterChange) {
    }

    /**
     * Connects an Envoy (SotW or delta) to two replicas, closes the one it is on, checks that it moved to the other
     * without a NACK, a rebuilt cluster or listener, or a failed call, and that it follows a change served there.
     */
    private Moved move(boolean sotw) throws Exception {
        EnvoyBinary.require();
        int port = EnvoySidecar.freePort();
        try (HttpBackend v1 = HttpBackend.start("v1"); HttpBackend v2 = HttpBackend.start("v2");
             SidecarFleet fleet = new SidecarFleet(tmp)) {
            ScopeSnapshot snapshot = EnvoySidecar.snapshot(web(port, v1, v2, "v1"));
            XdsDistributor a = fleet.distributor();
            XdsDistributor b = fleet.distributor();
            a.accept(snapshot);
            b.accept(snapshot);
            String scope = EnvoySidecar.SCOPE.id();
            assertThat(b.currentTypeVersions(scope)).isEqualTo(a.currentTypeVersions(scope));

            EnvoyProcess envoy = fleet.envoy(POD, sotw, a, b);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> SidecarFleet.connected(a, POD) != null || SidecarFleet.connected(b, POD) != null);
            XdsDistributor first = SidecarFleet.connected(a, POD) != null ? a : b;
            XdsDistributor second = first == a ? b : a;
            SidecarFleet.awaitInSync(first, POD, Duration.ofSeconds(20));
            HttpCalls calls = new HttpCalls(port);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> "v1".equals(calls.get("web", "/").backend()));
            Map<String, Map<String, String>> held = SidecarFleet.held(envoy);
            Map<String, Long> churn = stats(envoy, CHURN);
            long cdsUpdates = envoy.stat("cluster_manager.cds.update_success");
            long ldsUpdates = envoy.stat("listener_manager.lds.update_success");
            assertThat(envoy.stat("control_plane.connected_state")).isEqualTo(1);
            assertThat(second.resourcesSent()).as("nothing was sent by the second replica before").isEmpty();

            List<HttpCalls.Answer> during = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread traffic = new Thread(() -> {
                for (int i = 0; i < 5_000 && !stop.get(); i++) {
                    during.add(calls.get("web", "/"));
                }
            }, "traffic-during-move");
            traffic.start();
            long closed = System.nanoTime();
            long reconnected;
            long inSync;
            try {
                first.close();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                        .until(() -> SidecarFleet.connected(second, POD) != null);
                reconnected = System.nanoTime();
                SidecarFleet.awaitInSync(second, POD, Duration.ofSeconds(20));
                inSync = System.nanoTime();
                Thread.sleep(200);
            } finally {
                stop.set(true);
                traffic.join(15_000);
            }
            System.out.printf("replica move (%s): reconnected after %d ms, in sync after %d ms, %d calls during%n",
                    sotw ? "sotw" : "delta", (reconnected - closed) / 1_000_000, (inSync - closed) / 1_000_000,
                    during.size());

            assertThat(during).as("calls during the move").hasSizeGreaterThan(10)
                    .allSatisfy(answer -> assertThat(answer.backend()).isEqualTo("v1"));
            // Routing types at the versions both replicas serve; its SDS secrets (a sidecar now asks for its
            // certificate, PERMISSIVE being the default) are per proxy and not part of the scope's versions.
            java.util.Map<String, String> routing = new java.util.TreeMap<>(SidecarFleet.acked(second, POD));
            routing.remove("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret");
            assertThat(routing).isEqualTo(a.currentTypeVersions(scope));
            assertThat(SidecarFleet.held(envoy)).as("what Envoy holds after the move").isEqualTo(held);
            assertThat(stats(envoy, CHURN)).as("no cluster or listener added, rebuilt, removed or rejected")
                    .isEqualTo(churn);
            assertThat(envoy.stat("control_plane.connected_state")).isEqualTo(1);
            Map<String, Long> updates = Map.of("cds", envoy.stat("cluster_manager.cds.update_success") - cdsUpdates,
                    "lds", envoy.stat("listener_manager.lds.update_success") - ldsUpdates);
            assertThat(second.nacksReceived()).isZero();
            assertThat(first.nacksReceived()).isZero();
            Map<String, Long> sentOnMove = second.resourcesSent();
            Map<String, Long> responsesOnMove = second.responsesSent();

            // The proxy follows a change served by the replica it moved to.
            second.accept(EnvoySidecar.snapshot(web(port, v1, v2, "v2")));
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> "v2".equals(calls.get("web", "/").backend()));
            SidecarFleet.awaitInSync(second, POD, Duration.ofSeconds(20));
            Map<String, Long> afterChange = since(sentOnMove, second.resourcesSent());
            assertThat(envoy.stat("cluster_manager.cds.update_rejected")).isZero();
            assertThat(envoy.stat("listener_manager.lds.update_rejected")).isZero();
            assertThat(second.nacksReceived()).isZero();
            return new Moved(snapshot, since(Map.of(), responsesOnMove), since(Map.of(), sentOnMove), updates,
                    afterChange);
        }
    }

    private static Map<String, Long> stats(EnvoyProcess envoy, List<String> names) {
        Map<String, Long> out = new TreeMap<>();
        names.forEach(n -> out.put(n, envoy.stat(n)));
        return out;
    }

    private static String web(int port, HttpBackend v1, HttpBackend v2, String subset) {
        return EnvoySidecar.webConfig(port, v1.port(), v2.port(),
                "  - route: [{destination: {host: web, subset: " + subset + "}}]\n");
    }
}
