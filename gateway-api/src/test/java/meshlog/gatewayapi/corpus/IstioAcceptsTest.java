package meshlog.gatewayapi.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Config that Istio's validation accepts and meshlog once refused: each case compiles without errors (warnings,
 * such as ML0011 for a field not applied yet, are fine). The refusals that remain are in {@code invalid-cases/}.
 */
class IstioAcceptsTest {

    private static final String REVIEWS = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: reviews}
            spec:
              hosts: [reviews.default.svc.cluster.local]
              location: MESH_INTERNAL
              resolution: STATIC
              ports: [{number: 9080, name: http, protocol: HTTP}]
              endpoints: [{address: 10.0.0.1}]
            ---
            """;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("DNS labels with upper case: a subset V1 defined and routed to", REVIEWS + """
                        apiVersion: networking.istio.io/v1
                        kind: DestinationRule
                        metadata: {name: reviews}
                        spec:
                          host: reviews
                          subsets: [{name: V1, labels: {version: v1}}]
                        ---
                        apiVersion: networking.istio.io/v1
                        kind: VirtualService
                        metadata: {name: reviews}
                        spec:
                          hosts: [reviews]
                          http:
                          - match: [{sourceNamespace: Frontend}]
                            route: [{destination: {host: reviews, subset: V1}}]
                          - route: [{destination: {host: reviews, subset: V1}}]
                        """),
                Arguments.of("DNS labels with upper case: a TCP match's sourceNamespace", REVIEWS + """
                        apiVersion: networking.istio.io/v1
                        kind: VirtualService
                        metadata: {name: reviews-tcp}
                        spec:
                          hosts: [reviews]
                          tcp:
                          - match: [{sourceNamespace: Frontend}]
                            route: [{destination: {host: reviews}}]
                        """),
                Arguments.of("DNS labels with upper case: Sidecar port names, egress namespaces, proxy subset", """
                        apiVersion: networking.istio.io/v1
                        kind: Sidecar
                        metadata: {name: default, namespace: bookinfo}
                        spec:
                          ingress:
                          - port: {number: 9080, protocol: HTTP, name: HTTP-In}
                            defaultEndpoint: 127.0.0.1:8080
                          egress:
                          - port: {number: 9090, protocol: HTTP, name: Http-Out}
                            hosts: [Bookinfo/reviews.example.com]
                          outboundTrafficPolicy:
                            mode: ALLOW_ANY
                            egressProxy: {host: squid.proxy.svc.cluster.local, subset: V1, port: {number: 3128}}
                        """),
                Arguments.of("partial wildcards (*foo.) in VirtualService hosts, SNI hosts and destinations", """
                        apiVersion: networking.istio.io/v1
                        kind: VirtualService
                        metadata: {name: partial}
                        spec:
                          hosts: ["*api.example.com", "*.example.org"]
                          http:
                          - route: [{destination: {host: "*svc.example.com"}}]
                          tls:
                          - match: [{sniHosts: ["*shop.example.org"]}]
                            route: [{destination: {host: "*svc.example.com"}}]
                        """),
                Arguments.of("a DestinationRule's tcp.idleTimeout of 0s, which disables it (as in a Sidecar)", """
                        apiVersion: networking.istio.io/v1
                        kind: DestinationRule
                        metadata: {name: reviews}
                        spec:
                          host: reviews
                          trafficPolicy:
                            connectionPool: {tcp: {idleTimeout: 0s}}
                            portLevelSettings:
                            - port: {number: 9080}
                              connectionPool: {tcp: {idleTimeout: 0ms}}
                        """),
                Arguments.of("DNS labels with upper case: a Gateway host's namespace", """
                        apiVersion: networking.istio.io/v1
                        kind: Gateway
                        metadata: {name: edge}
                        spec:
                          servers:
                          - port: {number: 80, protocol: HTTP, name: http}
                            hosts: [Prod/shop.example.com]
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void compilesWithoutErrors(String name, String yaml) {
        assertThat(IstioTable.validityErrors(compile(yaml))).isEmpty();
    }

    /** Well-formed for Istio; no Gateway can have such a name, which the cross-reference check (XR0003) says. */
    @Test
    void upperCaseGatewayReferencesAreWellFormed() {
        CompiledConfig c = compile(REVIEWS + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews.example.com]
                  gateways: [Istio-System/Ingress, Edge]
                  http:
                  - route: [{destination: {host: reviews}}]
                """);

        assertThat(c.errors()).extracting(Diagnostic::code).containsExactly("XR0003", "XR0003");
    }

    private static CompiledConfig compile(String yaml) {
        return ConfigCompiler.compile(Map.of("case.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
    }
}
