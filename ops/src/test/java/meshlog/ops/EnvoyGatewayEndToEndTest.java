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
 * The whole path for an ingress gateway: an Istio Gateway and VirtualService committed to a real git repository,
 * a real Kafka broker, the reconciler and distributors of {@code meshlog up}, and a real Envoy 1.40 started from
 * {@code meshlog bootstrap}'s bootstrap with a {@code router~} node id and labels {@code istio=ingressgateway}.
 * Nobody computed its scope before it connected: its distributor reports it, the reconciler computes it, and the
 * gateway routes by host; a new commit moves a path to another backend without restart.
 */
class EnvoyGatewayEndToEndTest {

    @TempDir
    static Path tmp;
    static HttpBackend web;
    static HttpBackend api;
    static int port;
    static MeshRepo repo;
    static MeshlogNode node;

    static String config(String apiPrefix) {
        return EnvoyGatewayTest.serviceEntry("web", 8080, "HTTP", web.port())
                + EnvoyGatewayTest.serviceEntry("api", 8080, "HTTP", api.port()) + """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: public, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: %d, name: http, protocol: HTTP}
                    bind: 127.0.0.1
                    hosts: ["shop/shop.example.com"]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: shop, namespace: shop}
                spec:
                  hosts: [shop.example.com]
                  gateways: [istio-system/public]
                  http:
                  - match: [{uri: {prefix: %s}}]
                    route: [{destination: {host: api}}]
                  - route: [{destination: {host: web}}]
                """.formatted(port, apiPrefix);
    }

    @BeforeAll
    static void start() throws Exception {
        EnvoyBinary.require();
        web = HttpBackend.start("web");
        api = HttpBackend.start("api");
        port = EnvoySidecar.freePort();
        repo = new MeshRepo(tmp.resolve("mesh"), 1, 2);
        repo.commit("gateway.yaml", config("/api/"), "shop: ingress gateway");
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
        for (HttpBackend b : new HttpBackend[] {web, api}) {
            if (b != null) {
                b.close();
            }
        }
    }

    static String backendOf(String path) {
        return new HttpCalls(port).get("shop.example.com", path).backend();
    }

    @Test
    void aGatewayIsServedItsOwnScopeAndFollowsACommit() throws Exception {
        String distributor = node.replicas().get(0).server().address();
        int colon = distributor.lastIndexOf(':');
        EnvoyBootstrap bootstrap = new EnvoyBootstrap(distributor.substring(0, colon),
                Integer.parseInt(distributor.substring(colon + 1)), "east", EnvoyGatewayTest.NODE_ID,
                Map.of("istio", "ingressgateway"), "istio-ingressgateway", "NONE", 0, false);
        try (EnvoyProcess gateway = EnvoyProcess.start(bootstrap.text(), tmp.resolve("envoy"))) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "api".equals(backendOf("/api/items")));
            assertThat(backendOf("/cart")).isEqualTo("web");
            assertThat(new HttpCalls(port).get("other.example.com", "/api/items").status()).isEqualTo(404);

            repo.commit("gateway.yaml", config("/cart"), "shop: /cart to api");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "api".equals(backendOf("/cart")));
            assertThat(backendOf("/api/items")).isEqualTo("web");
            assertThat(gateway.stat("listener_manager.lds.update_rejected")).isZero();
        }
        assertThat(node.replicas().stream().mapToLong(r -> r.server().nacksReceived()).sum()).isZero();
    }
}
