package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import meshlog.testkit.EnvoyBinary;
import meshlog.testkit.HttpBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a {@code Sidecar} changes for a real Envoy 1.40 sidecar without capture (interception NONE, as
 * {@link EnvoySidecar} runs it), with real traffic: egress hosts hide other namespaces' services, REGISTRY_ONLY
 * refuses hosts no service claims, and an ingress listener forwards to the application's port.
 */
class EnvoySidecarScopeTest {

    @TempDir
    static Path tmp;
    static HttpBackend web;
    static HttpBackend shop;
    static HttpBackend app;
    static int webPort;
    static int shopPort;
    static int ingressPort;
    static EnvoySidecar sidecar;

    @BeforeAll
    static void start() {
        EnvoyBinary.require();
        web = HttpBackend.start("web");
        shop = HttpBackend.start("shop");
        app = HttpBackend.start("app");
        webPort = EnvoySidecar.freePort();
        shopPort = EnvoySidecar.freePort();
        ingressPort = EnvoySidecar.freePort();
        sidecar = EnvoySidecar.start(tmp, services(), false);
    }

    @AfterAll
    static void stop() {
        if (sidecar != null) {
            sidecar.close();
        }
        for (HttpBackend b : new HttpBackend[] {web, shop, app}) {
            if (b != null) {
                b.close();
            }
        }
    }

    @BeforeEach
    void servicesOnly() {
        sidecar.serve(services());
        web.reset();
        shop.reset();
        app.reset();
    }

    /** web in the proxy's namespace (demo), shop in another one (other), each on its own port. */
    static String services() {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: web, namespace: demo}
                spec:
                  hosts: [web.demo.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: %d, name: http, protocol: HTTP}]
                  endpoints: [{address: 127.0.0.1, ports: {http: %d}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: shop, namespace: other}
                spec:
                  hosts: [shop.other.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: %d, name: http, protocol: HTTP}]
                  endpoints: [{address: 127.0.0.1, ports: {http: %d}}]
                """.formatted(webPort, web.port(), shopPort, shop.port());
    }

    static String withSidecar(String spec) {
        return services() + """
                ---
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: default, namespace: demo}
                spec:
                %s""".formatted(spec.indent(2));
    }

    @Test
    void egressOfTheOwnNamespaceOnlyLeavesOtherNamespacesUnrouted() {
        assertThat(new HttpCalls(shopPort).get("shop.other.svc.cluster.local", "/").backend()).isEqualTo("shop");
        // Served raw and awaited by what Envoy holds: the route configuration Envoy stops asking for is never
        // answered again, so its RDS version stays at the last one it ACKed.
        sidecar.serveRaw(EnvoySidecar.snapshot(withSidecar("egress: [{hosts: [\"./*\"]}]"), EnvoySidecar.SCOPE));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> sidecar.names(
                "ListenersConfigDump", "dynamic_listeners", "/name").equals(List.of("127.0.0.1_" + webPort)));
        assertThat(new HttpCalls(webPort).get("web", "/").backend()).isEqualTo("web");
        // Envoy has no listener for shop's port any more: the connection is refused, nothing reaches shop.
        HttpCalls.Answer refused = new HttpCalls(shopPort).get("shop.other.svc.cluster.local", "/");
        assertThat(refused.status()).isEqualTo(-1);
        assertThat(refused.headers().get("error")).contains("Connection refused");
        assertThat(sidecar.names("ListenersConfigDump", "dynamic_listeners", "/name"))
                .containsExactly("127.0.0.1_" + webPort);
        assertThat(sidecar.names("ClustersConfigDump", "dynamic_active_clusters", "/cluster/name"))
                .contains("outbound|" + webPort + "||web.demo.svc.cluster.local")
                .doesNotContain("outbound|" + shopPort + "||shop.other.svc.cluster.local");
        assertThat(shop.count()).isEqualTo(1);
        assertNoRejection();
    }

    @Test
    void registryOnlyAnswers502ForAHostNoServiceClaims() {
        sidecar.serve(withSidecar("outboundTrafficPolicy: {mode: REGISTRY_ONLY}"));
        HttpCalls calls = new HttpCalls(webPort);
        HttpCalls.Answer unknown = calls.get("unknown.example.com", "/");
        assertThat(unknown.status()).isEqualTo(502);
        assertThat(unknown.backend()).isEmpty();
        assertThat(calls.get("web.demo.svc.cluster.local", "/").backend()).isEqualTo("web");
        assertThat(web.count()).isEqualTo(1);
        assertNoRejection();
    }

    @Test
    void aNoneModeIngressListenerForwardsToTheApplicationsPort() {
        sidecar.serve(withSidecar("""
                workloadSelector: {labels: {app: client}}
                ingress:
                - port: {number: %d, protocol: HTTP, name: http}
                  defaultEndpoint: 127.0.0.1:%d
                """.formatted(ingressPort, app.port())));
        HttpCalls.Answer a = new HttpCalls(ingressPort).get("client.demo.svc.cluster.local", "/orders?id=7");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.backend()).isEqualTo("app");
        assertThat(app.received()).singleElement().satisfies(r -> assertThat(r.path()).isEqualTo("/orders?id=7"));
        assertThat(sidecar.envoy().stat("http.inbound_0.0.0.0_" + ingressPort + ".downstream_rq_total"))
                .isEqualTo(1);
        assertThat(sidecar.envoy().stat("cluster.inbound|" + ingressPort + "||.upstream_rq_200")).isEqualTo(1);
        assertNoRejection();
    }

    private static void assertNoRejection() {
        assertThat(sidecar.nacks()).isZero();
        assertThat(sidecar.envoy().stat("listener_manager.lds.update_rejected")).isZero();
        assertThat(sidecar.envoy().stat("cluster_manager.cds.update_rejected")).isZero();
    }
}
