package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import meshlog.configstore.kafka.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshlog discovery} as the CLI starts it, with its admin port. No API server can run here and the mock
 * server's Vert.x line cannot share this module's class path, so this test points the kubeconfig at a closed port:
 * what it proves is the wiring (flags, readiness, metrics); the discovery module's tests cover the watching itself.
 */
class DiscoveryCommandTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path tmp;

    @Test
    void anUnreachableApiServerLeavesItLiveNotReadyAndSaysWhy() throws Exception {
        Path kubeconfig = kubeconfig(closedPort());
        try (ComponentProcess p = ComponentCommand.start("discovery", List.of("--kafka", KAFKA.bootstrap(),
                "--cluster", "east", "--kubeconfig", kubeconfig.toString(), "--admin-port", "0",
                "--data-dir", tmp.resolve("d").toString()))) {
            String base = "http://127.0.0.1:" + p.adminPort();
            assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(base + "/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).isEqualTo("{\"ready\":false,\"problems\":{\"discovery east\":\"API server of"
                    + " cluster east not reached yet (its first LIST is pending); meshlog.endpoints keeps what an"
                    + " earlier run published\"}}");
            await().atMost(Duration.ofSeconds(10)).until(() -> get(base + "/metrics").body()
                    .contains("meshlog_component_ready{component=\"discovery east\"} 0.0"));
            assertThat(get(base + "/metrics").body()).contains("meshlog_discovery_stale{cluster=\"east\"} 0.0",
                    "meshlog_discovery_records_written{cluster=\"east\"} 0.0");
            assertThat(get(base + "/api/status").body()).contains("\"synced\" : false", "\"stale\" : false");
        }
    }

    @Test
    void aMissingKubeconfigIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of("discovery", "--kafka", KAFKA.bootstrap(), "--cluster", "east"),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("meshlog: --kubeconfig FILE is required\n");
    }

    @Test
    void aRootCertThatIsNotACertificateOrAWebhookWithoutOneIsAUsageError() throws Exception {
        Path kubeconfig = kubeconfig(closedPort());
        Path key = Files.writeString(tmp.resolve("root-key.pem"), "-----BEGIN PRIVATE KEY-----\nAA==\n"
                + "-----END PRIVATE KEY-----\n");
        assertThat(discoveryError("--kubeconfig", kubeconfig.toString(), "--root-cert", key.toString()))
                .isEqualTo("meshlog: --root-cert: root certificate " + key + ": no PEM CERTIFICATE block\n");
        assertThat(discoveryError("--kubeconfig", kubeconfig.toString(), "--webhook-config", "x"))
                .isEqualTo("meshlog: --webhook-config needs --root-cert (the caBundle is that root)\n");
    }

    private String discoveryError(String... flags) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new java.util.ArrayList<>(List.of("discovery", "--kafka", KAFKA.bootstrap(), "--cluster",
                "east"));
        args.addAll(List.of(flags));
        int code = Main.run(args, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void upTakesKubeconfigsByClusterAndChecksThemBeforeStarting() throws Exception {
        Path file = kubeconfig(closedPort());
        assertThat(UpOptions.parse(List.of("--repo", "r", "--kubeconfig", "east=" + file + ",west=" + file))
                .kubeconfigs()).containsExactly(java.util.Map.entry("east", file), java.util.Map.entry("west", file));
        assertThat(upError("--kubeconfig", file.toString())).isEqualTo("meshlog: --kubeconfig takes"
                + " CLUSTER=FILE[,CLUSTER=FILE...], got " + file + "\n");
        assertThat(upError("--kubeconfig", "east=" + tmp.resolve("none"))).isEqualTo("meshlog: --kubeconfig east="
                + tmp.resolve("none") + ": no such file\n");
        assertThat(upError("--kubeconfig", "east=" + file + ",east=" + file)).isEqualTo("meshlog: --kubeconfig"
                + " names cluster east twice\n");
    }

    private String upError(String... flags) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new java.util.ArrayList<>(List.of("up", "--repo", tmp.resolve("repo").toString()));
        args.addAll(List.of(flags));
        int code = Main.run(args, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path kubeconfig(int port) throws Exception {
        return Files.writeString(tmp.resolve("east.kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: east
                  cluster: {server: "http://127.0.0.1:%d"}
                contexts:
                - name: east
                  context: {cluster: east, user: east}
                current-context: east
                users:
                - name: east
                  user: {token: t}
                """.formatted(port));
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
