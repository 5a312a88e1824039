package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import meshlog.testkit.EnvoyBinary;
import meshlog.testkit.EnvoyProcess;
import meshlog.testkit.HttpBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path for an Envoy sidecar, as a user runs it: Istio YAML committed to a real git repository, a real
 * Kafka broker, the reconciler and the distributors of {@code meshlog up}, and two real Envoy 1.40 sidecars started
 * from {@code meshlog bootstrap}: one on delta ADS (the default), then one on state of the world. New commits are
 * followed without restart, and a {@code sourceLabels} route applies to the workload it selects only.
 */
class EnvoyEndToEndTest {

    @TempDir
    static Path tmp;
    static HttpBackend v1;
    static HttpBackend v2;
    static int port;
    static MeshRepo repo;
    static MeshlogNode node;

    static final String SPLIT = """
              - route:
                - destination: {host: web, subset: v1}
                  weight: 50
                - destination: {host: web, subset: v2}
                  weight: 50
            """;

    @BeforeAll
    static void start() throws Exception {
        EnvoyBinary.require();
        v1 = HttpBackend.start("v1");
        v2 = HttpBackend.start("v2");
        port = EnvoySidecar.freePort();
        repo = new MeshRepo(tmp.resolve("mesh"), 1, 2);
        repo.commit("web.yaml", EnvoySidecar.webConfig(port, v1.port(), v2.port(), SPLIT), "web: 50/50");
        node = MeshlogNode.start(new UpOptions(repo.dir(), null, List.of("east"), 2, 0, 0, tmp.resolve("data"), null,
                Duration.ofMillis(100), "127.0.0.1", null, meshlog.gitsync.TreeLimits.DEFAULTS));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (repo != null) {
            repo.close();
        }
        if (v1 != null) {
            v1.close();
            v2.close();
        }
    }

    static EnvoyProcess envoy(String distributor, String pod, boolean sotw, Path dir) {
        int colon = distributor.lastIndexOf(':');
        EnvoyBootstrap bootstrap = new EnvoyBootstrap(distributor.substring(0, colon),
                Integer.parseInt(distributor.substring(colon + 1)), "east",
                "sidecar~127.0.0.1~" + pod + ".demo~demo.svc.cluster.local", Map.of("app", pod), "client", "NONE", 0,
                sotw);
        return EnvoyProcess.start(bootstrap.text(), dir);
    }

    static String backendOf(int listenerPort, String path) {
        return new HttpCalls(listenerPort).get("web", path).backend();
    }

    @Test
    void aCommitReachesADeltaAndASotwEnvoyThroughTheWholePath() throws Exception {
        List<MeshlogNode.Replica> replicas = node.replicas();
        try (EnvoyProcess delta = envoy(replicas.get(0).server().address(), "client-a", false, tmp.resolve("e1"))) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "v1".equals(backendOf(port, "/")) || "v2".equals(backendOf(port, "/")));
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < 100; i++) {
                seen.add(backendOf(port, "/"));
            }
            assertThat(seen).containsExactlyInAnyOrder("v1", "v2");

            repo.commit("web.yaml", EnvoySidecar.webConfig(port, v1.port(), v2.port(), """
                      - match: [{headers: {x-canary: {exact: "yes"}}}]
                        route: [{destination: {host: web, subset: v2}}]
                      - route: [{destination: {host: web, subset: v1}}]
                    """), "web: canary by header");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                for (int i = 0; i < 20; i++) {
                    if (!"v1".equals(backendOf(port, "/"))) {
                        return false;
                    }
                }
                return true;
            });
            assertThat(new HttpCalls(port).get("web", "/", "x-canary", "yes").backend()).isEqualTo("v2");

            // Routing by the calling workload's labels: the sidecar's LABELS make its scope, which its distributor
            // reported to the reconciler when it connected.
            repo.commit("web.yaml", EnvoySidecar.webConfig(port, v1.port(), v2.port(), """
                      - match: [{sourceLabels: {app: client-a}}]
                        route: [{destination: {host: web, subset: v2}}]
                      - route: [{destination: {host: web, subset: v1}}]
                    """), "web: client-a goes to v2");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "v2".equals(backendOf(port, "/")));
            assertThat(delta.stat("listener_manager.lds.update_rejected")).isEqualTo(0);
            assertThat(delta.stat("cluster_manager.cds.update_rejected")).isEqualTo(0);
        }
        try (EnvoyProcess sotw = envoy(replicas.get(1).server().address(), "client-b", true, tmp.resolve("e2"))) {
            // Another workload: the sourceLabels route is not for it.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "v1".equals(backendOf(port, "/")));
            for (int i = 0; i < 20; i++) {
                assertThat(backendOf(port, "/")).isEqualTo("v1");
            }
            assertThat(sotw.stat("listener_manager.lds.update_rejected")).isEqualTo(0);
        }
        assertThat(replicas.stream().mapToLong(r -> r.server().nacksReceived()).sum()).isZero();
    }
}
