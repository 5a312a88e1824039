package meshlog.injector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshlog.testkit.HttpBackend;
import meshlog.testkit.NetNs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules the injected istio-init writes, applied for real in a network namespace this test creates: three
 * listeners inside stand in for Envoy's 15001 and 15006 and for the app's 8080, a backend outside stands for
 * the world. What each connection reached shows what was captured. (Running the injected istio-proxy itself,
 * agent and Envoy, waits for {@code meshlog agent}; ops' EnvoyRedirectCaptureTest already runs a real Envoy
 * behind these rules.) Skipped, with one line saying why, without root, namespaces or iptables.
 */
class IptablesCaptureTest {

    static final int APP = 8080;
    @TempDir
    static Path dir;
    static NetNs ns;
    static HttpBackend outside;

    @BeforeAll
    static void start() throws IOException {
        NetNs.require();
        try {
            ns = NetNs.create();
            outside = HttpBackend.start("outside", InetAddress.getByName(ns.hostIp()));
            serve(15001, "outbound-listener");
            serve(MeshPorts.INBOUND, "inbound-listener");
            serve(APP, "app");
            for (int port : List.of(15001, MeshPorts.INBOUND, APP)) {
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                        .until(() -> get("root", "127.0.0.1", port).startsWith("200 "));
            }
        } catch (RuntimeException | IOException e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        if (outside != null) {
            outside.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    /** A python web server inside on {@code port} whose page says {@code name}. */
    static void serve(int port, String name) throws IOException {
        Path site = Files.createDirectories(dir.resolve(name));
        Files.writeString(site.resolve("index.html"), name);
        site.toFile().setReadable(true, false);
        dir.toFile().setExecutable(true, false);
        ns.start(List.of("python3", "-m", "http.server", String.valueOf(port), "--bind", "0.0.0.0",
                "--directory", site.toString()), dir.resolve(name + ".log"));
    }

    /** Flushes the nat table and applies the rules for {@code capture}. */
    static void capture(TrafficCapture capture) {
        ns.inside(List.of("iptables", "-t", "nat", "-F"));
        ns.inside(List.of("iptables", "-t", "nat", "-X"));
        ns.iptablesRestore(IptablesRules.render(capture));
    }

    /** GET / from inside as {@code user} (root, or the proxy's uid 1337): status and body. */
    static String get(String user, String address, int port) {
        String script = """
                import http.client, sys
                c = http.client.HTTPConnection(sys.argv[1], int(sys.argv[2]), timeout=5)
                try:
                    c.request("GET", "/")
                    r = c.getresponse()
                    print(r.status, r.read().decode()[:100])
                except Exception as e:
                    print("error", type(e).__name__)
                """;
        List<String> cmd = new ArrayList<>();
        if (!user.equals("root")) {
            cmd.addAll(List.of("setpriv", "--reuid=1337", "--regid=1337", "--clear-groups"));
        }
        // The system's python: a per-user one (pyenv's shims under /root) is not executable as 1337.
        cmd.addAll(List.of(Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3", "-c",
                script, address, String.valueOf(port)));
        return ns.inside(cmd).strip();
    }

    /** GET / from the host side into the namespace: inbound traffic. */
    static String getFromHost(int port) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://" + ns.nsIp() + ":" + port + "/").openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(5000);
        try (InputStream in = c.getInputStream()) {
            return c.getResponseCode() + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    @Test
    void theAppsOutboundIsCapturedTo15001AndTheProxysOwnIsNot() {
        capture(TrafficCapture.DEFAULT);
        int port = outside.port();
        assertThat(get("root", ns.hostIp(), port)).isEqualTo("200 outbound-listener");
        assertThat(get("1337", ns.hostIp(), port)).isEqualTo("200 outside");
        // Loopback stays loopback: the app reaching its own port is not captured.
        assertThat(get("root", "127.0.0.1", APP)).isEqualTo("200 app");
        assertThat(outside.count()).isEqualTo(1);
    }

    @Test
    void inboundIsCapturedTo15006ExceptTheSidecarsOwnPorts() throws IOException {
        capture(TrafficCapture.DEFAULT);
        assertThat(getFromHost(APP)).isEqualTo("200 inbound-listener");
        capture(TrafficCapture.fromAnnotations(Map.of("traffic.sidecar.istio.io/excludeInboundPorts", "8080")));
        assertThat(getFromHost(APP)).isEqualTo("200 app");
        capture(TrafficCapture.fromAnnotations(Map.of("traffic.sidecar.istio.io/includeInboundPorts", "")));
        assertThat(getFromHost(APP)).isEqualTo("200 app");
    }

    @Test
    void excludedOutboundPortsAndRangesGoStraightOut() {
        int port = outside.port();
        capture(TrafficCapture.fromAnnotations(Map.of("traffic.sidecar.istio.io/excludeOutboundPorts",
                String.valueOf(port))));
        assertThat(get("root", ns.hostIp(), port)).isEqualTo("200 outside");
        capture(TrafficCapture.fromAnnotations(Map.of("traffic.sidecar.istio.io/excludeOutboundIPRanges",
                ns.hostIp() + "/32")));
        assertThat(get("root", ns.hostIp(), port)).isEqualTo("200 outside");
        capture(TrafficCapture.fromAnnotations(Map.of("traffic.sidecar.istio.io/includeOutboundIPRanges",
                "240.240.0.0/16")));
        assertThat(get("root", ns.hostIp(), port)).isEqualTo("200 outside");
        capture(TrafficCapture.fromAnnotations(Map.of("traffic.sidecar.istio.io/includeOutboundIPRanges",
                ns.hostIp() + "/32")));
        assertThat(get("root", ns.hostIp(), port)).isEqualTo("200 outbound-listener");
    }
}
