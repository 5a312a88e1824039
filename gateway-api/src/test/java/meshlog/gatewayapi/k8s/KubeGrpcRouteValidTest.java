package meshlog.gatewayapi.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import meshlog.gatewayapi.model.KubeGrpcRoute;
import meshlog.gatewayapi.model.KubeGrpcRoute.MethodMatch;
import meshlog.gatewayapi.model.KubeGrpcRoute.MethodMatchType;
import meshlog.gatewayapi.model.KubeRouteFilter;
import meshlog.gatewayapi.model.KubeRouteParts.Header;
import meshlog.gatewayapi.model.KubeRouteParts.ParentRef;
import meshlog.gatewayapi.model.KubeRouteParts.ValueMatch;
import meshlog.gatewayapi.model.KubeRouteParts.ValueMatchType;
import org.junit.jupiter.api.Test;

/** A GRPCRoute using every field meshlog models is accepted and reads as written, with the CRD's defaults. */
class KubeGrpcRouteValidTest {

    static final String ROUTE = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: GRPCRoute
            metadata: {name: greeter, namespace: grpc}
            spec:
              parentRefs:
              - {name: edge, namespace: infra, sectionName: grpc, port: 443}
              hostnames: [greeter.example.com]
              rules:
              - name: hello
                matches:
                - method: {service: helloworld.Greeter, method: SayHello}
                  headers:
                  - {name: x-tenant, value: acme}
                  - {type: RegularExpression, name: x-build, value: "^[0-9]+$"}
                - method: {type: RegularExpression, service: "helloworld\\\\..*"}
                - method: {method: Check}
                filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier: {set: [{name: x-env, value: prod}], remove: [x-debug]}
                - type: ResponseHeaderModifier
                  responseHeaderModifier: {add: [{name: x-served-by, value: meshlog}]}
                - type: RequestMirror
                  requestMirror:
                    backendRef: {name: greeter-shadow, port: 50051}
                    fraction: {numerator: 5, denominator: 1000}
                - type: ExtensionRef
                  extensionRef: {group: example.com, kind: Quota, name: q}
                backendRefs:
                - name: greeter-v1
                  port: 50051
                  weight: 3
                  filters:
                  - type: RequestHeaderModifier
                    requestHeaderModifier: {set: [{name: x-version, value: v1}]}
                - {name: greeter-v2, namespace: grpc, port: 50051}
            """;

    @Test
    void everyFieldReadsAsWritten() {
        KubeGrpcRoute route = KubeYaml.readClean(ROUTE, KubeGrpcRoute.class);

        assertThat(route.parentRefs()).containsExactly(
                new ParentRef("gateway.networking.k8s.io", "Gateway", "infra", "edge", "grpc", 443));
        assertThat(route.hostnames()).containsExactly("greeter.example.com");
        var rule = route.rules().get(0);
        assertThat(rule.name()).isEqualTo("hello");
        assertThat(rule.matches()).extracting(KubeGrpcRoute.Match::method).containsExactly(
                new MethodMatch(MethodMatchType.Exact, "helloworld.Greeter", "SayHello"),
                new MethodMatch(MethodMatchType.RegularExpression, "helloworld\\..*", null),
                new MethodMatch(MethodMatchType.Exact, null, "Check"));
        assertThat(rule.matches().get(0).headers()).containsExactly(
                new ValueMatch(ValueMatchType.Exact, "x-tenant", "acme"),
                new ValueMatch(ValueMatchType.RegularExpression, "x-build", "^[0-9]+$"));
        assertThat(rule.filters()).extracting(KubeRouteFilter::type).containsExactly("RequestHeaderModifier",
                "ResponseHeaderModifier", "RequestMirror", "ExtensionRef");
        assertThat(((KubeRouteFilter.ResponseHeaderModifier) rule.filters().get(1)).modifier().add())
                .containsExactly(new Header("x-served-by", "meshlog"));
        assertThat(((KubeRouteFilter.RequestMirror) rule.filters().get(2)).fraction().denominator()).isEqualTo(1000);
        assertThat(rule.backendRefs()).extracting(b -> b.name() + ":" + b.weight())
                .containsExactly("greeter-v1:3", "greeter-v2:1");
        assertThat(rule.backendRefs().get(0).filters()).hasSize(1);
    }

    @Test
    void aRuleWithoutMatchesMatchesEveryCall() {
        KubeGrpcRoute route = KubeYaml.readClean("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: GRPCRoute
                metadata: {name: all}
                spec:
                  parentRefs: [{name: edge}]
                  rules:
                  - backendRefs: [{name: greeter, port: 50051}]
                """, KubeGrpcRoute.class);

        assertThat(route.rules().get(0).matches()).isEmpty();
        assertThat(route.rules().get(0).name()).isNull();
    }

    @Test
    void redirectIsNoGrpcFilter() {
        var c = KubeYaml.compile("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: GRPCRoute
                metadata: {name: r}
                spec:
                  rules:
                  - filters:
                    - type: RequestRedirect
                      requestRedirect: {scheme: https}
                    backendRefs: [{name: greeter, port: 50051}]
                """);

        assertThat(c.errors()).extracting(d -> d.code() + " " + d.path()).containsExactlyInAnyOrder(
                "ML0006 spec.rules[0].filters[0].type", "ML0003 spec.rules[0].filters[0].requestRedirect");
    }
}
