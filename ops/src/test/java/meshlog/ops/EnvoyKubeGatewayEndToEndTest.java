package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * A Kubernetes Gateway API Gateway (class istio) and its HTTPRoutes committed to a real git repository, served by
 * {@code meshlog up} (real Kafka, reconciler, distributor) to a real Envoy 1.40 started as the gateway deployment
 * Istio would create for it: node id {@code router~...} in the Gateway's namespace, label
 * {@code gateway.networking.k8s.io/gateway-name: public}. Real HTTP on 127.0.0.1 (the Gateway's address): paths
 * (per segment), a header match, weights, header modifiers, 500 for a backend that does not exist; a route whose
 * hostname no listener takes gets 404, one from a namespace the listener does not allow is not served; and the
 * routes' and Gateway's status conditions are in {@code /api/status}.
 */
class EnvoyKubeGatewayEndToEndTest {

    static final String NODE_ID = "router~127.0.0.1~public-istio-5d8f.istio-ingress~istio-ingress.svc.cluster.local";

    @TempDir
    static Path tmp;
    static HttpBackend web;
    static HttpBackend api;
    static HttpBackend canary;
    static int port;
    static int internalPort;
    static MeshRepo repo;
    static MeshlogNode node;
    static EnvoyProcess gateway;

    static String config() {
        return EnvoyGatewayTest.serviceEntry("web", 8080, "HTTP", web.port())
                + EnvoyGatewayTest.serviceEntry("api", 8080, "HTTP", api.port())
                + EnvoyGatewayTest.serviceEntry("canary", 8080, "HTTP", canary.port()) + """
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: public, namespace: istio-ingress}
                spec:
                  gatewayClassName: istio
                  addresses: [{type: IPAddress, value: 127.0.0.1}]
                  listeners:
                  - {name: http, port: %d, protocol: HTTP, hostname: "*.example.com",
                     allowedRoutes: {namespaces: {from: All}}}
                  - {name: internal, port: %d, protocol: HTTP}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: shop, namespace: shop}
                spec:
                  parentRefs: [{name: public, namespace: istio-ingress, sectionName: http}]
                  hostnames: [shop.example.com]
                  rules:
                  - backendRefs: [{name: web, port: 8080, weight: 3}, {name: canary, port: 8080, weight: 1}]
                  - matches: [{path: {type: PathPrefix, value: /api}}]
                    filters:
                    - type: RequestHeaderModifier
                      requestHeaderModifier: {set: [{name: x-route, value: api}]}
                    - type: ResponseHeaderModifier
                      responseHeaderModifier: {set: [{name: x-served-by, value: gateway-api}]}
                    backendRefs: [{name: api, port: 8080}]
                  - matches: [{path: {type: PathPrefix, value: /api}, headers: [{name: x-canary, value: "yes"}]}]
                    backendRefs: [{name: canary, port: 8080}]
                  - matches: [{path: {type: Exact, value: /broken}}]
                    backendRefs: [{name: gone, port: 8080}]
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: elsewhere, namespace: shop}
                spec:
                  parentRefs: [{name: public, namespace: istio-ingress, sectionName: http}]
                  hostnames: [shop.example.org]
                  rules:
                  - backendRefs: [{name: api, port: 8080}]
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: sneaky, namespace: shop}
                spec:
                  parentRefs: [{name: public, namespace: istio-ingress, sectionName: internal}]
                  rules:
                  - matches: [{path: {type: PathPrefix, value: /sneak}}]
                    backendRefs: [{name: api, port: 8080}]
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: ops, namespace: istio-ingress}
                spec:
                  parentRefs: [{name: public, sectionName: internal}]
                  rules:
                  - backendRefs: [{name: web, namespace: shop, port: 8080}]
                ---
                apiVersion: gateway.networking.k8s.io/v1beta1
                kind: ReferenceGrant
                metadata: {name: ingress-to-web, namespace: shop}
                spec:
                  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: istio-ingress}]
                  to: [{group: "", kind: Service, name: web}]
                """.formatted(port, internalPort);
    }

    @BeforeAll
    static void start() throws Exception {
        EnvoyBinary.require();
        web = HttpBackend.start("web");
        api = HttpBackend.start("api");
        canary = HttpBackend.start("canary");
        port = EnvoySidecar.freePort();
        internalPort = EnvoySidecar.freePort();
        repo = new MeshRepo(tmp.resolve("mesh"), 1, 2);
        repo.commit("gateway.yaml", config(), "shop: Gateway API ingress");
        node = MeshlogNode.start(new UpOptions(repo.dir(), null, List.of("east"), 1, 0, 0, tmp.resolve("data"), null,
                Duration.ofMillis(100), "127.0.0.1", null, meshlog.gitsync.TreeLimits.DEFAULTS));
        String distributor = node.replicas().get(0).server().address();
        int colon = distributor.lastIndexOf(':');
        EnvoyBootstrap bootstrap = new EnvoyBootstrap(distributor.substring(0, colon),
                Integer.parseInt(distributor.substring(colon + 1)), "east", NODE_ID,
                Map.of("gateway.networking.k8s.io/gateway-name", "public"), "public-istio", "NONE", 0, false);
        gateway = EnvoyProcess.start(bootstrap.text(), tmp.resolve("envoy"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> "api".equals(new HttpCalls(port).get("shop.example.com", "/api/items").backend()));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {gateway, node, repo, web, api, canary}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void pathsAndHeadersRouteToTheirBackendsWithTheFiltersApplied() {
        HttpCalls calls = new HttpCalls(port);
        api.reset();
        HttpCalls.Answer a = calls.get("shop.example.com", "/api/items");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.backend()).isEqualTo("api");
        assertThat(a.headers().get("x-served-by")).isEqualTo("gateway-api");
        assertThat(api.received()).singleElement().satisfies(r -> assertThat(r.headers().get("x-route"))
                .isEqualTo("api"));
        assertThat(calls.get("shop.example.com", "/api").backend()).isEqualTo("api");
        assertThat(calls.get("shop.example.com", "/api/items", "x-canary", "yes").backend()).isEqualTo("canary");
        // PathPrefix is per path segment: /apix is not under /api, so it takes the default rule (web or canary)
        assertThat(calls.get("shop.example.com", "/apix").backend()).isIn("web", "canary");
        HttpCalls.Answer broken = calls.get("shop.example.com", "/broken");
        assertThat(broken.status()).isEqualTo(500);
        assertThat(broken.backend()).isEmpty();
    }

    @Test
    void weightsSplitTheDefaultRule() {
        HttpCalls calls = new HttpCalls(port);
        List<String> answered = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            answered.add(calls.get("shop.example.com", "/cart").backend());
        }
        long toCanary = answered.stream().filter("canary"::equals).count();
        long toWeb = answered.stream().filter("web"::equals).count();
        assertThat(toWeb + toCanary).isEqualTo(200);
        // weights 3:1: 50 expected of 200 (a binomial's standard deviation is about 6)
        assertThat(toCanary).isBetween(25L, 80L);
    }

    @Test
    void aRouteWhoseHostnameNoListenerTakesIsNotServedAndItsStatusSaysSo() throws Exception {
        HttpCalls.Answer a = new HttpCalls(port).get("shop.example.org", "/api/items");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.backend()).isEmpty();
        JsonNode c = condition("HTTPRoute shop/elsewhere", "Accepted");
        assertThat(c.path("status").asBoolean()).isFalse();
        assertThat(c.path("reason").asText()).isEqualTo("NoMatchingListenerHostname");
        assertThat(c.path("part").asText()).isEqualTo("parentRefs[0] Gateway istio-ingress/public sectionName http");
    }

    @Test
    void aRouteFromANamespaceTheListenerDoesNotAllowIsRefused() throws Exception {
        HttpCalls calls = new HttpCalls(internalPort);
        web.reset();
        assertThat(calls.get("anything.internal", "/sneak").backend()).as("the ops route takes it, not sneaky's")
                .isEqualTo("web");
        JsonNode c = condition("HTTPRoute shop/sneaky", "Accepted");
        assertThat(c.path("status").asBoolean()).isFalse();
        assertThat(c.path("reason").asText()).isEqualTo("NotAllowedByListeners");
        assertThat(condition("HTTPRoute istio-ingress/ops", "Accepted").path("status").asBoolean()).isTrue();
    }

    @Test
    void theGatewayAndRouteConditionsAreInApiStatus() throws Exception {
        String gw = "Gateway.gateway.networking.k8s.io istio-ingress/public";
        assertThat(condition(gw, "", "Programmed").path("status").asBoolean()).isTrue();
        assertThat(condition(gw, "listeners[http]", "Programmed").path("status").asBoolean()).isTrue();
        assertThat(condition(gw, "listeners[internal]", "Accepted").path("status").asBoolean()).isTrue();
        JsonNode resolved = condition("HTTPRoute shop/shop", "ResolvedRefs");
        assertThat(resolved.path("status").asBoolean()).isFalse();
        assertThat(resolved.path("reason").asText()).isEqualTo("BackendNotFound");
        assertThat(resolved.path("message").asText()).contains("shop/gone");
        assertThat(condition("HTTPRoute shop/shop", "Accepted").path("status").asBoolean()).isTrue();
        assertThat(gateway.stat("listener_manager.lds.update_rejected")).isZero();
        assertThat(node.replicas().stream().mapToLong(r -> r.server().nacksReceived()).sum()).isZero();
    }

    /** The one condition of {@code type} of {@code resource} in {@code /api/status}'s {@code gatewayApi}. */
    static JsonNode condition(String resource, String type) throws Exception {
        return condition(resource, null, type);
    }

    /** As {@link #condition(String, String)}, of one part ({@code ""}: the object itself; null: any). */
    static JsonNode condition(String resource, String part, String type) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.adminPort() + "/api/status")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        List<JsonNode> found = new ArrayList<>();
        new ObjectMapper().readTree(r.body()).path("gatewayApi").forEach(c -> {
            if (c.path("resource").asText().equals(resource) && c.path("type").asText().equals(type)
                    && (part == null || c.path("part").asText().equals(part))) {
                found.add(c);
            }
        });
        assertThat(found).as("%s %s in %s", resource, type, r.body()).hasSize(1);
        return found.get(0);
    }
}
