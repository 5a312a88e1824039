package meshlog.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import meshlog.configstore.scope.ProxyScope;
import meshlog.configstore.state.ConfigState;
import meshlog.reconciler.simulate.SimRequest;
import meshlog.reconciler.simulate.SimResult;
import meshlog.reconciler.simulate.SimResult.DirectResponse;
import meshlog.reconciler.simulate.SimResult.Redirect;
import meshlog.reconciler.simulate.SimResult.WeightedCluster;
import meshlog.reconciler.simulate.TrafficSimulator;
import meshlog.reconciler.translate.MeshTranslator;
import meshlog.reconciler.xds.XdsResources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table tests of {@link TrafficSimulator} over real translations: a golden case's {@code input.yaml} (or a small
 * inline config) → {@code MeshTranslator.translate} for one sidecar scope → {@code XdsResources.build} → a request
 * → exactly the listener, filter chain, route configuration, virtual host, route and cluster(s) Envoy would pick.
 */
class TrafficSimulatorTest {

    static final String VO = "virtualOutbound";
    static final String ALLOW_ANY = "allow_any";
    static final Map<String, String> NO_LABELS = Map.of();

    /** Header end-user: jason to v2, everything else split 70/30 between v1 and v2. */
    static final String HEADER_THEN_SPLIT = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: reviews, namespace: default}
            spec:
              hosts: [reviews.default.svc.cluster.local]
              location: MESH_INTERNAL
              resolution: STATIC
              ports: [{number: 9080, name: http, protocol: HTTP}]
              endpoints: [{address: 10.3.0.1, labels: {version: v1}}, {address: 10.3.0.2, labels: {version: v2}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews, namespace: default}
            spec:
              host: reviews
              subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: default}
            spec:
              hosts: [reviews]
              http:
              - name: jason
                match: [{headers: {end-user: {exact: jason}}}]
                route: [{destination: {host: reviews, subset: v2}}]
              - name: split
                route:
                - {destination: {host: reviews, subset: v1}, weight: 70}
                - {destination: {host: reviews, subset: v2}, weight: 30}
            """;

    static Stream<Arguments> table() {
        String echo = "echo.demo.svc.cluster.local";
        String echoVh = echo + ":50051";
        String web = "web.default.svc.cluster.local:8080";
        return Stream.of(
                // header-and-uri-match: exact vs prefix vs regex paths, headers, the catch-all
                row("exact path", "header-and-uri-match", "default", NO_LABELS,
                        http("10.96.9.9", 50051, echoVh, "/echo.Echo/Ping"),
                        http(VO, "0.0.0.0_50051", "50051", echoVh, "ping", "outbound|50051|v3|" + echo)),
                row("exact path does not match a longer path", "header-and-uri-match", "default", NO_LABELS,
                        http("10.96.9.9", 50051, echoVh, "/echo.Echo/PingPong"),
                        http(VO, "0.0.0.0_50051", "50051", echoVh, "everything-else", "outbound|50051|v1|" + echo)),
                row("header match", "header-and-uri-match", "default", NO_LABELS,
                        http("10.96.9.9", 50051, echo, "/any").withHeader("End-User", "jason"),
                        http(VO, "0.0.0.0_50051", "50051", echoVh, "testers.jason", "outbound|50051|v2|" + echo)),
                row("prefix and both headers", "header-and-uri-match", "default", NO_LABELS,
                        http("10.96.9.9", 50051, echo, "/echo.Echo/Echo").withHeader("x-beta", "yes-please")
                                .withHeader("x-canary", "true"),
                        http(VO, "0.0.0.0_50051", "50051", echoVh, "testers.beta", "outbound|50051|v2|" + echo)),
                row("prefix matches, one header missing: must not match", "header-and-uri-match", "default",
                        NO_LABELS, http("10.96.9.9", 50051, echo, "/echo.Echo/Echo").withHeader("x-beta", "yes"),
                        http(VO, "0.0.0.0_50051", "50051", echoVh, "everything-else", "outbound|50051|v1|" + echo)),
                row("headers match, prefix does not", "header-and-uri-match", "default", NO_LABELS,
                        http("10.96.9.9", 50051, echo, "/other.Svc/Echo").withHeader("x-beta", "yes")
                                .withHeader("x-canary", "true"),
                        http(VO, "0.0.0.0_50051", "50051", echoVh, "everything-else", "outbound|50051|v1|" + echo)),
                row("regex path and header", "header-and-uri-match", "default", NO_LABELS,
                        http("10.96.9.9", 50051, echo, "/echo.Echo/ListAll").withHeader("x-tier", "gold"),
                        http(VO, "0.0.0.0_50051", "50051", echoVh, "reads", "outbound|50051|v2|" + echo)),
                row("regex header must match whole value", "header-and-uri-match", "default", NO_LABELS,
                        http("10.96.9.9", 50051, echo, "/echo.Echo/ListAll").withHeader("x-tier", "golden"),
                        http(VO, "0.0.0.0_50051", "50051", echoVh, "everything-else", "outbound|50051|v1|" + echo)),
                row("short name of another namespace: no virtual host, passthrough", "header-and-uri-match",
                        "default", NO_LABELS, http("10.96.9.9", 50051, "echo:50051", "/echo.Echo/Ping"),
                        http(VO, "0.0.0.0_50051", "50051", ALLOW_ANY, ALLOW_ANY, "PassthroughCluster")),
                row("short name in the proxy's own namespace", "header-and-uri-match", "demo", NO_LABELS,
                        http("10.96.9.9", 50051, "echo:50051", "/echo.Echo/Ping"),
                        http(VO, "0.0.0.0_50051", "50051", echoVh, "ping", "outbound|50051|v3|" + echo)),
                row("unknown host, ALLOW_ANY", "header-and-uri-match", "default", NO_LABELS,
                        http("10.96.9.9", 50051, "elsewhere.example.org", "/"),
                        http(VO, "0.0.0.0_50051", "50051", ALLOW_ANY, ALLOW_ANY, "PassthroughCluster")),
                row("unknown port, ALLOW_ANY", "header-and-uri-match", "default", NO_LABELS,
                        SimRequest.tcp("10.96.9.9", 12345),
                        tcp(null, VO, "PassthroughCluster", "PassthroughCluster")),
                row("not captured: the bound listener", "header-and-uri-match", "default", NO_LABELS,
                        http("127.0.0.1", 50051, echo, "/echo.Echo/Ping").uncaptured(),
                        http(null, "127.0.0.1_50051", "50051", echoVh, "ping", "outbound|50051|v3|" + echo)),
                row("not captured, not to a bound address: bypasses the proxy", "header-and-uri-match", "default",
                        NO_LABELS, http("10.96.9.9", 50051, echo, "/").uncaptured(),
                        none(null, null, null, null, null, null, "no listener bound to 10.96.9.9:50051 (not"
                                + " captured, the connection bypasses the proxy)")),
                // a header match to v2, else a weighted split
                row("header routes to v2", null, "default", NO_LABELS,
                        http("10.96.9.9", 9080, "reviews:9080", "/").withHeader("end-user", "jason"),
                        http(VO, "0.0.0.0_9080", "9080", "reviews.default.svc.cluster.local:9080", "jason",
                                "outbound|9080|v2|reviews.default.svc.cluster.local")),
                row("no header: the split", null, "default", NO_LABELS,
                        http("10.96.9.9", 9080, "reviews", "/").withHeader("end-user", "mary"),
                        result(VO, "0.0.0.0_9080", "filter_chains[0]", "9080",
                                "reviews.default.svc.cluster.local:9080", "split",
                                List.of(new WeightedCluster("outbound|9080|v1|reviews.default.svc.cluster.local", 70),
                                        new WeightedCluster("outbound|9080|v2|reviews.default.svc.cluster.local", 30)),
                                null, null, null)),
                // route-and-cluster-features: redirect, direct response, presence/invert/query, method, sourceLabels
                row("redirect", "route-and-cluster-features", "default", NO_LABELS,
                        http("10.96.9.9", 8080, "web:8080", "/old/page"),
                        result(VO, "0.0.0.0_8080", "filter_chains[0]", "8080", web, "routes[0]", null, null,
                                new Redirect(301, "http", "web:8080", 0, "/new"), null)),
                row("redirect only for GET", "route-and-cluster-features", "default", NO_LABELS,
                        http("10.96.9.9", 8080, "web:8080", "/old/page").withMethod("POST"),
                        http(VO, "0.0.0.0_8080", "8080", web, "routes[3]", "outbound|8080|v1|web.default.svc.cluster.local")),
                row("direct response", "route-and-cluster-features", "default", NO_LABELS,
                        http("10.96.9.9", 8080, "web", "/gone"),
                        result(VO, "0.0.0.0_8080", "filter_chains[0]", "8080", web, "routes[1]", null,
                                new DirectResponse(410, "gone"), null, null)),
                row("presence, query parameter, inverted header absent", "route-and-cluster-features", "default",
                        NO_LABELS, http("10.96.9.9", 8080, "web", "/x?beta=1").withHeader("x-canary", ""),
                        http(VO, "0.0.0.0_8080", "8080", web, "routes[2]", "outbound|8080|v2|web.default.svc.cluster.local")),
                row("inverted header present: must not match", "route-and-cluster-features", "default", NO_LABELS,
                        http("10.96.9.9", 8080, "web", "/x?beta=1").withHeader("x-canary", "")
                                .withHeader("x-block", "1"),
                        http(VO, "0.0.0.0_8080", "8080", web, "routes[3]", "outbound|8080|v1|web.default.svc.cluster.local")),
                row("query parameter other value: must not match", "route-and-cluster-features", "default",
                        NO_LABELS, http("10.96.9.9", 8080, "web", "/x?beta=2").withHeader("x-canary", ""),
                        http(VO, "0.0.0.0_8080", "8080", web, "routes[3]", "outbound|8080|v1|web.default.svc.cluster.local")),
                row("sourceLabels route for the matching scope", "route-and-cluster-features", "default",
                        Map.of("app", "other"), http("10.96.9.9", 8080, "web", "/anything"),
                        result(VO, "0.0.0.0_8080", "filter_chains[0]", "8080", web, "routes[0]", null, null,
                                new Redirect(301, "http", "web", 0, "/new"), null)),
                row("sourceLabels route absent for another scope", "route-and-cluster-features", "default",
                        Map.of("app", "mine"), http("10.96.9.9", 8080, "web", "/anything"),
                        http(VO, "0.0.0.0_8080", "8080", web, "routes[3]",
                                "outbound|8080|v1|web.default.svc.cluster.local")),
                row("TCP port to its tcp_proxy cluster", "route-and-cluster-features", "default", NO_LABELS,
                        SimRequest.tcp("10.96.9.9", 5432),
                        tcp(VO, "0.0.0.0_5432", "filter_chains[0]", "outbound|5432||db.default.svc.cluster.local")),
                // tcp-routes: a VIP listener, destination and source prefixes, a weighted tcp_proxy
                row("TCP by VIP and source subnet: weighted", "tcp-routes", "default", NO_LABELS,
                        SimRequest.tcp("10.96.0.10", 5432).withSource("10.1.7.7"),
                        result(VO, "10.96.0.10_5432", "filter_chains[0]", null, null, null,
                                List.of(new WeightedCluster("outbound|5432|v1|db.default.svc.cluster.local", 80),
                                        new WeightedCluster("outbound|5432|v2|db.default.svc.cluster.local", 20)),
                                null, null, null)),
                row("TCP by VIP from another subnet: the default chain", "tcp-routes", "default", NO_LABELS,
                        SimRequest.tcp("10.96.0.10", 5432),
                        tcp(VO, "10.96.0.10_5432", "default_filter_chain",
                                "outbound|5432|v1|db.default.svc.cluster.local")),
                row("TCP sourceLabels route for the matching scope", "tcp-routes", "default", Map.of("app", "other"),
                        SimRequest.tcp("10.96.0.10", 5432).withSource("10.1.7.7"),
                        tcp(VO, "10.96.0.10_5432", "filter_chains[0]",
                                "outbound|5432|v2|db.default.svc.cluster.local")),
                row("REDIS port is TCP", "tcp-routes", "default", NO_LABELS, SimRequest.tcp("10.96.3.3", 6379),
                        tcp(VO, "0.0.0.0_6379", "filter_chains[0]", "outbound|6379||cache.default.svc.cluster.local")),
                // tls-routes: SNI chains behind the tls_inspector
                row("TLS SNI route to a subset", "tls-routes", "default", NO_LABELS,
                        SimRequest.tls("10.96.9.9", 443, "a.tls.example"),
                        tcp(VO, "0.0.0.0_443", "filter_chains[0]",
                                "outbound|8443|v1|tls-backends.default.svc.cluster.local")),
                row("TLS SNI of a host without a VirtualService", "tls-routes", "default", NO_LABELS,
                        SimRequest.tls("10.96.9.9", 443, "plain.tls.example"),
                        tcp(VO, "0.0.0.0_443", "filter_chains[1]", "outbound|443||plain.tls.example")),
                row("TLS SNI whose only route is for other sources: passthrough", "tls-routes", "default",
                        NO_LABELS, SimRequest.tls("10.96.9.9", 443, "b.tls.example"),
                        tcp(VO, "0.0.0.0_443", "PassthroughFilterChain", "PassthroughCluster")),
                row("TLS to a VIP: its own listener, any SNI", "tls-routes", "default", NO_LABELS,
                        SimRequest.tls("10.96.1.1", 443, "whatever.example"),
                        tcp(VO, "10.96.1.1_443", "filter_chains[0]", "outbound|443||vip.tls.example")),
                // sidecar-egress-hosts: REGISTRY_ONLY, hosts the Sidecar does not admit
                row("REGISTRY_ONLY unknown host: block_all", "sidecar-egress-hosts", "demo", Map.of("app", "client"),
                        http("10.96.9.9", 80, "unknown.example.org", "/"),
                        result(VO, "0.0.0.0_80", "filter_chains[0]", "80", "block_all", "block_all", null,
                                new DirectResponse(502, null), null, null)),
                row("REGISTRY_ONLY host not admitted by the Sidecar", "sidecar-egress-hosts", "demo",
                        Map.of("app", "client"), http("10.96.9.9", 80, "shop.other.svc.cluster.local", "/"),
                        result(VO, "0.0.0.0_80", "filter_chains[0]", "80", "block_all", "block_all", null,
                                new DirectResponse(502, null), null, null)),
                row("REGISTRY_ONLY admitted host routes on", "sidecar-egress-hosts", "demo", Map.of("app", "client"),
                        http("10.96.9.9", 80, "web", "/shop/cart"),
                        http(VO, "0.0.0.0_80", "80", "web.demo.svc.cluster.local:80", "routes[0]",
                                "outbound|80||shop.other.svc.cluster.local")),
                row("REGISTRY_ONLY unknown port: BlackHole", "sidecar-egress-hosts", "demo", Map.of("app", "client"),
                        SimRequest.tcp("10.96.9.9", 12345), tcp(null, VO, "BlackHoleCluster", "BlackHoleCluster")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void routes(String name, String golden, String namespace, Map<String, String> labels, SimRequest request,
                SimResult expected) throws IOException {
        assertThat(TrafficSimulator.simulate(resources(golden, namespace, labels, request.captured()), request))
                .isEqualTo(expected);
    }

    static Map<String, Map<String, byte[]>> resources(String golden, String namespace, Map<String, String> labels,
                                                      boolean captured) throws IOException {
        String yaml = golden == null ? HEADER_THEN_SPLIT
                : Files.readString(GoldenTest.ROOT.resolve(golden).resolve("input.yaml"));
        ConfigState state = TestConfigs.state(yaml);
        String cluster = SnapshotComputer.clusters(state, List.of("default")).get(0);
        ProxyScope scope = ProxyScope.sidecar(namespace, labels, captured ? ProxyScope.Interception.REDIRECT
                : ProxyScope.Interception.NONE);
        return XdsResources.build(MeshTranslator.translate(state.resources().values(), cluster, scope));
    }

    static Arguments row(String name, String golden, String namespace, Map<String, String> labels, SimRequest req,
                         SimResult expected) {
        return Arguments.of(name, golden, namespace, labels, req, expected);
    }

    static SimRequest http(String destination, int port, String authority, String path) {
        return SimRequest.http(destination, port, authority, path);
    }

    static SimResult http(String handedOffBy, String listener, String routeConfig, String virtualHost, String route,
                          String cluster) {
        return result(handedOffBy, listener, "filter_chains[0]", routeConfig, virtualHost, route,
                List.of(new WeightedCluster(cluster, 1)), null, null, null);
    }

    static SimResult tcp(String handedOffBy, String listener, String chain, String cluster) {
        return result(handedOffBy, listener, chain, null, null, null, List.of(new WeightedCluster(cluster, 1)), null,
                null, null);
    }

    static SimResult none(String handedOffBy, String listener, String chain, String routeConfig, String virtualHost,
                          String route, String reason) {
        return result(handedOffBy, listener, chain, routeConfig, virtualHost, route, null, null, null, reason);
    }

    static SimResult result(String handedOffBy, String listener, String chain, String routeConfig,
                            String virtualHost, String route, List<WeightedCluster> clusters, DirectResponse direct,
                            Redirect redirect, String noRoute) {
        return new SimResult(handedOffBy, listener, chain, routeConfig, virtualHost, route, clusters, direct,
                redirect, noRoute);
    }
}
