package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import meshlog.configstore.scope.ProxyScope;
import meshlog.testkit.EnvoyBinary;
import meshlog.testkit.HttpBackend;
import meshlog.testkit.NetNs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * REDIRECT for real: a network namespace with the nat rules the injector's istio-init writes, Envoy inside as uid 1337 fed by a
 * distributor on the host side of a veth pair, a plain client and an application inside. Proves that a connection
 * to a ServiceEntry VIP nothing listens on is captured (15001) and routed where the VirtualService says, that a
 * connection to the workload's port passes through {@code virtualInbound} (15006) to the application, and what
 * ALLOW_ANY and REGISTRY_ONLY do with an unknown destination. Skipped, with one line saying why, without root,
 * namespaces or iptables.
 */
class EnvoyRedirectCaptureTest {

    static final String NODE_ID = "sidecar~10.241.0.2~client-1.demo~demo.svc.cluster.local";
    static final ProxyScope SCOPE = ProxyScope.sidecar("demo", Map.of("app", "client"),
            ProxyScope.Interception.REDIRECT);
    static final String VIP = "240.240.0.10";
    static final int APP_PORT = 8080;
    /**
     * The rules the injected istio-init writes (meshlog iptables, as istio-init's), plus Envoy's admin port excluded
     * the way a pod's traffic.sidecar.istio.io/excludeInboundPorts annotation excludes one.
     */
    static final String ISTIO_INIT_RULES = meshlog.injector.IptablesRules.render(meshlog.injector.TrafficCapture
            .fromAnnotations(Map.of("traffic.sidecar.istio.io/excludeInboundPorts", "15000")));

    static NetNs ns;
    static HttpBackend web;
    static HttpBackend reviews;
    static HttpBackend outside;
    static EnvoySidecar sidecar;
    static Path dir;

    @BeforeAll
    static void start() throws IOException {
        EnvoyBinary.require();
        NetNs.require();
        dir = Files.createTempDirectory("meshlog-redirect");
        try {
            ns = NetNs.create();
            ns.iptablesRestore(ISTIO_INIT_RULES);
            InetAddress host = InetAddress.getByName(ns.hostIp());
            web = HttpBackend.start("web", host);
            reviews = HttpBackend.start("reviews", host);
            outside = HttpBackend.start("outside", host);
            Path site = Files.createDirectories(dir.resolve("site"));
            Files.writeString(site.resolve("index.html"), "app-in-netns");
            ns.start(List.of("python3", "-m", "http.server", String.valueOf(APP_PORT), "--bind", "0.0.0.0",
                    "--directory", site.toString()), dir.resolve("app.log"));
            // Envoy runs as uid 1337, which istio-init's rules leave uncaptured: it must read and write its files.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path envoyDir = Files.createDirectories(dir.resolve("envoy"));
            Files.setPosixFilePermissions(envoyDir, PosixFilePermissions.fromString("rwxrwxrwx"));
            sidecar = EnvoySidecar.start(dir, config(""), new EnvoySidecar.Spec(ns.hostIp(), NODE_ID, SCOPE,
                    EnvoyRedirectCaptureTest::bootstrap, ns.prefix(List.of("setpriv", "--reuid=1337",
                    "--regid=1337", "--clear-groups"))));
            awaitApp();
        } catch (RuntimeException | IOException e) {
            stop();
            throw e;
        }
    }

    /** Waits (at most 10 s) until the app answers on 127.0.0.1 inside, which istio-init's rules leave alone. */
    static void awaitApp() {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> curlInside("127.0.0.1", APP_PORT, "localhost", "/").startsWith("200 "));
    }

    /** The default bootstrap, its admin API on the namespace's address (port 15000, excluded from capture). */
    static String bootstrap(EnvoyBootstrap b) {
        ObjectNode json = b.json();
        ObjectNode admin = (ObjectNode) json.path("admin").path("address").path("socket_address");
        admin.put("address", ns.nsIp());
        admin.put("port_value", 15000);
        return json.toPrettyString();
    }

    @AfterAll
    static void stop() {
        if (sidecar != null) {
            sidecar.close();
        }
        for (HttpBackend b : new HttpBackend[] {web, reviews, outside}) {
            if (b != null) {
                b.close();
            }
        }
        if (ns != null) {
            ns.close();
        }
        if (dir != null) {
            try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.out.println("could not remove " + dir + ": " + e.getMessage());
            }
        }
    }

    /**
     * web.demo at VIP 240.240.0.10:80 (endpoint: backend "web"), reviews.demo (backend "reviews"), a VirtualService
     * sending web's /reviews to reviews, and the workload's own service (app=client, port 8080); plus
     * {@code sidecar} (YAML of a Sidecar spec, or empty for none).
     */
    static String config(String sidecarSpec) {
        return config(ns.hostIp(), web.port(), reviews.port(), sidecarSpec);
    }

    /** As above, for backends on {@code hostIp} (shared with AgentEnvoyInjectedPodTest). */
    static String config(String hostIp, int webPort, int reviewsPort, String sidecarSpec) {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: web, namespace: demo}
                spec:
                  hosts: [web.demo.svc.cluster.local]
                  addresses: [%s]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  endpoints: [{address: %s, ports: {http: %d}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: reviews, namespace: demo}
                spec:
                  hosts: [reviews.demo.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9080, name: http, protocol: HTTP}]
                  endpoints: [{address: %s, ports: {http: %d}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: client, namespace: demo}
                spec:
                  hosts: [client.demo.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  workloadSelector: {labels: {app: client}}
                  ports: [{number: %d, name: http, protocol: HTTP}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: web, namespace: demo}
                spec:
                  hosts: [web]
                  http:
                  - match: [{uri: {prefix: /reviews}}]
                    route: [{destination: {host: reviews, port: {number: 9080}}}]
                  - route: [{destination: {host: web}}]
                """.formatted(VIP, hostIp, webPort, hostIp, reviewsPort, APP_PORT);
        return sidecarSpec.isEmpty() ? yaml : yaml + """
                ---
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: default, namespace: demo}
                spec:
                %s""".formatted(sidecarSpec.indent(2));
    }

    /** A plain client inside the namespace (root, so captured): status and body of GET path with that Host. */
    static String curlInside(String address, int port, String host, String path) {
        return curlInside(ns, address, port, host, path);
    }

    /** As above, inside {@code in}. */
    static String curlInside(NetNs in, String address, int port, String host, String path) {
        String script = """
                import http.client, sys
                c = http.client.HTTPConnection(sys.argv[1], int(sys.argv[2]), timeout=5)
                try:
                    c.request("GET", sys.argv[4], headers={"Host": sys.argv[3]})
                    r = c.getresponse()
                    print(r.status, r.getheader("x-backend") or "-", r.read().decode()[:200])
                except Exception as e:
                    print("error", type(e).__name__)
                """;
        return in.inside(List.of("python3", "-c", script, address, String.valueOf(port), host, path)).strip();
    }

    @Test
    void aConnectionToAServiceVipIsCapturedAndRoutedAsTheVirtualServiceSays() {
        reviews.reset();
        web.reset();
        assertThat(curlInside(VIP, 80, "web.demo.svc.cluster.local", "/reviews/1"))
                .isEqualTo("200 reviews reviews");
        assertThat(curlInside(VIP, 80, "web", "/")).isEqualTo("200 web web");
        assertThat(reviews.received()).singleElement().satisfies(r -> assertThat(r.path()).isEqualTo("/reviews/1"));
        // virtualOutbound hands each connection to the listener of its original port, which counts it.
        assertThat(sidecar.envoy().stat("listener.0.0.0.0_80.downstream_cx_total")).isGreaterThanOrEqualTo(2);
        assertThat(sidecar.envoy().stat("http.outbound_0.0.0.0_80.downstream_rq_total")).isGreaterThanOrEqualTo(2);
        assertNoRejection();
    }

    @Test
    void aConnectionToTheWorkloadPortPassesThroughVirtualInbound() {
        long before = sidecar.envoy().stat("http.inbound_0.0.0.0_" + APP_PORT + ".downstream_rq_total");
        HttpCalls.Answer a = new HttpCalls(ns.nsIp(), APP_PORT).get("client.demo.svc.cluster.local", "/");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).isEqualTo("app-in-netns");
        assertThat(sidecar.envoy().stat("http.inbound_0.0.0.0_" + APP_PORT + ".downstream_rq_total"))
                .isEqualTo(before + 1);
        assertThat(sidecar.envoy().stat("cluster.inbound|" + APP_PORT + "||.upstream_rq_200")).isGreaterThanOrEqualTo(1);
        assertThat(sidecar.envoy().stat("listener.0.0.0.0_15006.downstream_cx_total")).isGreaterThanOrEqualTo(1);
        assertNoRejection();
    }

    @Test
    void allowAnyPassesAnUnknownDestinationAndRegistryOnlyBlocksIt() {
        outside.reset();
        assertThat(curlInside(ns.hostIp(), outside.port(), "outside.example.com", "/"))
                .isEqualTo("200 outside outside");
        sidecar.serve(config("outboundTrafficPolicy: {mode: REGISTRY_ONLY}"));
        try {
            // An unknown port: virtualOutbound hands it to BlackHoleCluster, which has no endpoint.
            assertThat(curlInside(ns.hostIp(), outside.port(), "outside.example.com", "/"))
                    .startsWith("error");
            // A known port, a host no service claims: block_all answers 502.
            assertThat(curlInside(VIP, 80, "unknown.example.com", "/")).startsWith("502 -");
            assertThat(outside.count()).isEqualTo(1);
            assertThat(curlInside(VIP, 80, "web", "/")).isEqualTo("200 web web");
            assertNoRejection();
        } finally {
            sidecar.serve(config(""));
        }
    }

    private static void assertNoRejection() {
        assertThat(sidecar.nacks()).isZero();
        assertThat(sidecar.envoy().stat("listener_manager.lds.update_rejected")).isZero();
        assertThat(sidecar.envoy().stat("cluster_manager.cds.update_rejected")).isZero();
    }
}
