package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import meshlog.configstore.snapshot.ScopeSnapshot;
import java.util.Map;
import meshlog.testkit.EnvoyBinary;
import meshlog.testkit.HttpBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Envoy 1.40 sidecar routes real HTTP traffic as the user's VirtualService and DestinationRule say, with the
 * config a distributor serves it from the reconciler's sidecar translation. Interception NONE: the sidecar binds
 * {@code 127.0.0.1_<port>} itself and the test calls it there, as the application next to it would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EnvoySidecarRoutingTest {

    /** 500 calls at p = 0.8: the standard deviation of the v1 share is 1.8 points; ±8 points is > 4 sigma. */
    static final int CALLS = 500;

    @TempDir
    static Path tmp;
    static HttpBackend v1;
    static HttpBackend v2;
    static int port;
    static EnvoySidecar sidecar;
    static HttpCalls calls;

    static String config(String http) {
        return EnvoySidecar.webConfig(port, v1.port(), v2.port(), http);
    }

    static final String CANARY = """
              - match:
                - headers: {x-canary: {exact: "yes"}}
                - uri: {prefix: /beta/}
                route:
                - destination: {host: web, subset: v2}
              - route:
                - destination: {host: web, subset: v1}
                  weight: 80
                - destination: {host: web, subset: v2}
                  weight: 20
            """;

    @BeforeAll
    static void start() {
        EnvoyBinary.require();
        v1 = HttpBackend.start("v1");
        v2 = HttpBackend.start("v2");
        port = EnvoySidecar.freePort();
        sidecar = EnvoySidecar.start(tmp, config(CANARY), true);
        calls = new HttpCalls(port);
    }

    @AfterAll
    static void stop() {
        if (sidecar != null) {
            sidecar.close();
        }
        if (v1 != null) {
            v1.close();
            v2.close();
        }
    }

    @Test
    @Order(1)
    void configDumpShowsIstiosNames() {
        assertThat(sidecar.names("ListenersConfigDump", "dynamic_listeners", "/name"))
                .containsExactly("127.0.0.1_" + port);
        assertThat(sidecar.names("RoutesConfigDump", "dynamic_route_configs", "/route_config/name"))
                .containsExactly(String.valueOf(port));
        assertThat(sidecar.names("ClustersConfigDump", "dynamic_active_clusters", "/cluster/name")).containsExactlyInAnyOrder(
                "BlackHoleCluster", "PassthroughCluster",
                "outbound|" + port + "||web.demo.svc.cluster.local",
                "outbound|" + port + "|v1|web.demo.svc.cluster.local",
                "outbound|" + port + "|v2|web.demo.svc.cluster.local");
        assertThat(sidecar.envoy().stat("listener_manager.lds.update_rejected")).isEqualTo(0);
        assertThat(sidecar.envoy().stat("cluster_manager.cds.update_rejected")).isEqualTo(0);
        assertThat(sidecar.nacks()).isEqualTo(0);
    }

    @Test
    @Order(2)
    void aHeaderOrPathMatchGoesToV2AndEverythingElseIsSplit80To20() {
        for (String host : new String[] {"web", "web.demo", "web.demo.svc.cluster.local:" + port}) {
            assertThat(calls.get(host, "/", "x-canary", "yes").backend()).as("canary header via %s", host)
                    .isEqualTo("v2");
        }
        assertThat(calls.get("web", "/beta/page").backend()).isEqualTo("v2");
        assertThat(calls.get("web", "/", "x-canary", "no").status()).isEqualTo(200);
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < CALLS; i++) {
            HttpCalls.Answer a = calls.get("web", "/");
            assertThat(a.status()).isEqualTo(200);
            seen.merge(a.backend(), 1, Integer::sum);
        }
        double v1Share = seen.getOrDefault("v1", 0) / (double) CALLS;
        assertThat(v1Share).as("v1 share of %s", seen).isBetween(0.72, 0.88);
        assertThat(seen.keySet()).containsOnly("v1", "v2");
    }

    @Test
    @Order(3)
    void aFailedFirstAttemptIsRetriedByIstiosDefaultPolicy() {
        v2.reset();
        v2.failNext(1, 503);
        HttpCalls.Answer a = calls.get("web", "/", "x-canary", "yes");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.backend()).isEqualTo("v2");
        assertThat(v2.count()).as("the 503 and the retry").isEqualTo(2);
    }

    @Test
    @Order(4)
    void aHostTheMeshDoesNotKnowIsPassedThroughToItsDestination() {
        // ALLOW_ANY: allow_any sends an unknown authority to PassthroughCluster, i.e. the original destination,
        // which for a bound listener is the listener's own address: Envoy itself answers, not a backend.
        HttpCalls.Answer a = calls.get("unknown.example.com", "/");
        assertThat(a.backend()).isEmpty();
    }

    @Test
    @Order(6)
    void aTcpServiceIsProxiedByteForByte() {
        int tcpPort = EnvoySidecar.freePort();
        sidecar.serve(config(CANARY) + """
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: db, namespace: demo}
                spec:
                  hosts: [db.demo.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: %d, name: tcp, protocol: TCP}]
                  endpoints: [{address: 127.0.0.1, ports: {tcp: %d}}]
                """.formatted(tcpPort, v2.port()));
        assertThat(sidecar.names("ListenersConfigDump", "dynamic_listeners", "/name"))
                .contains("127.0.0.1_" + tcpPort);
        // tcp_proxy sees only bytes: the HTTP request reaches v2 with its Host unchanged, whatever it says.
        v2.reset();
        HttpCalls.Answer a = new HttpCalls(tcpPort).get("anything.example", "/raw");
        assertThat(a.backend()).isEqualTo("v2");
        assertThat(v2.received()).singleElement().satisfies(r -> assertThat(r.headers().get("host"))
                .isEqualTo("anything.example"));
    }

    @Test
    @Order(5)
    void aResourceEnvoyRejectsIsNackedHeldAndNotResent() throws Exception {
        // A cluster both consistency checks pass but Envoy refuses (a ring smaller at most than at least), as a
        // buggy or hostile writer of the snapshots topic could publish it.
        ScopeSnapshot good = EnvoySidecar.snapshot(config(CANARY));
        String name = "outbound|" + port + "|v1|web.demo.svc.cluster.local";
        Map<String, Map<String, byte[]>> resources = RejectedCluster.withRefusedRing(good.resources(), name);
        long before = sidecar.nacks();
        long rejectedBefore = sidecar.envoy().stat("cluster_manager.cds.update_rejected");
        sidecar.serveRaw(new ScopeSnapshot(EnvoySidecar.CLUSTER, EnvoySidecar.SCOPE.id(),
                ScopeSnapshot.versionOf(resources), "bad", resources));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> sidecar.envoy().stat("cluster_manager.cds.update_rejected") > rejectedBefore);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> sidecar.nacks() > before);
        long afterFirst = sidecar.nacks();
        Thread.sleep(2000); // the window a NACK loop would fill with hundreds of resends
        assertThat(sidecar.nacks() - afterFirst).as("NACKs after the first, in 2 s").isLessThanOrEqualTo(1);
        // Envoy keeps its last good config: traffic still flows as before.
        assertThat(calls.get("web", "/", "x-canary", "yes").backend()).isEqualTo("v2");
    }

    @Test
    @Order(7)
    void aChangedVirtualServiceIsFollowedWithoutRestart() {
        long nacksBefore = sidecar.nacks();
        sidecar.serve(config("""
                  - route:
                    - destination: {host: web, subset: v2}
                """));
        for (int i = 0; i < 20; i++) {
            assertThat(calls.get("web", "/").backend()).isEqualTo("v2");
        }
        assertThat(sidecar.nacks()).as("no NACK of the good config").isEqualTo(nacksBefore);
    }
}
