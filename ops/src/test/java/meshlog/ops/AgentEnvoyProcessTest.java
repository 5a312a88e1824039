package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import meshlog.testkit.EnvoyBinary;
import meshlog.testkit.HttpBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshlog agent --envoy} as the injected sidecar container runs it, in a JVM of its own with the pod's facts
 * in its environment: it gets its certificate from {@code meshlog up}'s CA with a join token, writes the bootstrap,
 * starts the real Envoy and answers {@code /healthz/ready}. Its distributor sits behind a {@link LoopbackService}
 * that at first reaches nothing, so readiness is seen to be 503 before any config; then a VirtualService committed
 * to git routes real HTTP through Envoy's outbound listener. Envoy killed with SIGKILL is restarted and routes
 * again; the agent stopped with SIGTERM leaves no Envoy behind.
 */
class AgentEnvoyProcessTest {

    static final Duration READY = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;
    static HttpBackend v1;
    static HttpBackend v2;
    static MeshRepo repo;
    static MeshlogNode node;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        EnvoyBinary.require();
        v1 = HttpBackend.start("v1");
        v2 = HttpBackend.start("v2");
        port = EnvoySidecar.freePort();
        repo = new MeshRepo(tmp.resolve("mesh"), 1, 2);
        repo.commit("web.yaml", EnvoySidecar.webConfig(port, v1.port(), v2.port(),
                "  - route: [{destination: {host: web, subset: v2}}]\n"), "web: all to v2");
        node = MeshlogNode.start(new UpOptions(repo.dir(), null, List.of("east"), 1, 0, 0, tmp.resolve("data"), null,
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

    @Test
    void theAgentRunsEnvoyReportsReadinessRestartsEnvoyAndStopsIt() throws Exception {
        Path token = joinToken(tmp.resolve("data"), "demo", "client");
        int status = EnvoySidecar.freePort();
        Path podDir = tmp.resolve("pod");
        Map<String, String> downwardApi = Map.of("POD_NAME", "client-a", "POD_NAMESPACE", "demo", "INSTANCE_IP",
                "127.0.0.1", "SERVICE_ACCOUNT", "client", "ISTIO_META_INTERCEPTION_MODE", "NONE",
                "ISTIO_METAJSON_LABELS", "{\"app\":\"client-a\"}");
        try (LoopbackService distributor = new LoopbackService(List.of());
             ChildProcess agent = ChildProcess.start(tmp.resolve("logs"), "agent", "96m", List.of(), downwardApi,
                     "agent", "--envoy", "--envoy-binary", EnvoyBinary.require().toString(), "--xds",
                     distributor.address(), "--ca", "127.0.0.1:" + node.caPort(), "--root-cert",
                     tmp.resolve("data/ca/root-cert.pem").toString(), "--join-token-file", token.toString(),
                     "--cluster", "east", "--socket", podDir.resolve("agent.sock").toString(), "--admin-port", "0",
                     "--status-port", String.valueOf(status), "--status-bind", "127.0.0.1")) {
            agent.await("readiness on http://127\\.0\\.0\\.1:" + status, Duration.ofSeconds(30));
            long firstEnvoy = envoyPid(agent);

            // No distributor reachable: Envoy runs, but has no listeners and clusters, so the sidecar is not ready.
            HttpResponse<String> before = ready(status);
            assertThat(before.statusCode()).as(before.body()).isEqualTo(503);
            assertThat(before.body()).matches("(Envoy is not LIVE \\(\\w+\\)|Envoy has received no CDS yet"
                    + "|Envoy's admin API does not answer)\n");
            assertThat(new HttpCalls(port).get("web", "/").status()).as("no outbound listener yet").isEqualTo(-1);

            distributor.replicas(List.of("127.0.0.1:" + node.replicas().get(0).server().tlsPort()));
            awaitReady(status, agent);
            assertRoutedToV2();
            assertThat(Files.readString(podDir.resolve(AgentEnvoy.BOOTSTRAP_FILE)))
                    .contains("sidecar~127.0.0.1~client-a.demo~demo.svc.cluster.local", "\"app\" : \"client-a\"",
                            "\"SERVICE_ACCOUNT\" : \"client\"", "\"CLUSTER_ID\" : \"east\"");

            ProcessHandle.of(firstEnvoy).orElseThrow().destroyForcibly();
            agent.await("Envoy \\(pid " + firstEnvoy + "\\) exited unexpectedly", Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> envoyPids(agent).stream().anyMatch(p -> p != firstEnvoy));
            long secondEnvoy = envoyPid(agent);
            awaitReady(status, agent);
            assertRoutedToV2();

            agent.close();
            assertThat(agent.alive()).isFalse();
            assertThat(agent.exitValue()).as("the JVM's code for a SIGTERM its hooks handled").isEqualTo(143);
            assertThat(ProcessHandle.of(secondEnvoy).map(ProcessHandle::isAlive).orElse(false))
                    .as("Envoy stopped with its agent").isFalse();
            agent.await("Envoy \\(pid " + secondEnvoy + "\\) stopped", Duration.ofSeconds(1));
            assertThat(new HttpCalls(port).get("web", "/").status()).as("its listener is gone").isEqualTo(-1);
        }
    }

    /** {@code meshlog token create} on a node's data dir, written to a file beside it as the agent reads it. */
    static Path joinToken(Path data, String namespace, String serviceAccount) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Main.run(List.of("token", "create", "--namespace", namespace, "--service-account", serviceAccount,
                "--data-dir", data.toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err)).isZero();
        return Files.writeString(data.resolveSibling(serviceAccount + ".token"),
                out.toString(StandardCharsets.UTF_8).strip());
    }

    /** Ten calls through Envoy's outbound listener, each answered 200 by v2 as the VirtualService says. */
    static void assertRoutedToV2() {
        for (int i = 0; i < 10; i++) {
            HttpCalls.Answer a = new HttpCalls(port).get("web", "/call-" + i);
            assertThat(a.status()).as("%s", a).isEqualTo(200);
            assertThat(a.backend()).isEqualTo("v2");
        }
    }

    static void awaitReady(int status, ChildProcess agent) {
        await().atMost(READY).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            HttpResponse<String> r = ready(status);
            assertThat(r.statusCode()).as("%s; agent:\n%s", r.body(), agent.tail()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("ready\n");
        });
        // Ready means LDS arrived; the listener is bound on the workers a moment later.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> new HttpCalls(port).get("web", "/warm").status() == 200);
    }

    static HttpResponse<String> ready(int status) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + status
                + meshlog.agent.StatusServer.READY_PATH)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The Envoy processes the agent started (its children running the Envoy binary). */
    static List<Long> envoyPids(ChildProcess agent) {
        return agent.handle().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("envoy")).orElse(false))
                .map(ProcessHandle::pid).toList();
    }

    static long envoyPid(ChildProcess agent) {
        List<Long> pids = envoyPids(agent);
        assertThat(pids).as("one Envoy under the agent").hasSize(1);
        return pids.get(0);
    }
}
