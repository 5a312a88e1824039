package meshlog.gatewayapi.security;

import static meshlog.gatewayapi.security.SecurityTestSupport.acceptedAs;
import static meshlog.gatewayapi.security.SecurityTestSupport.compile;
import static meshlog.gatewayapi.security.SecurityTestSupport.readAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.List;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.model.AuthorizationPolicy;
import meshlog.gatewayapi.model.AuthorizationPolicy.Action;
import meshlog.gatewayapi.model.AuthorizationPolicy.Condition;
import meshlog.gatewayapi.model.AuthorizationPolicy.Operation;
import meshlog.gatewayapi.model.AuthorizationPolicy.Rule;
import meshlog.gatewayapi.model.AuthorizationPolicy.Source;
import meshlog.gatewayapi.model.PolicyTarget.TargetRef;
import org.junit.jupiter.api.Test;

class AuthorizationPolicyTest {

    @Test
    void readsEverySourceOperationAndConditionField() {
        AuthorizationPolicy ap = readAs(AuthorizationPolicy.class, """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: orders, namespace: shop}
                spec:
                  selector:
                    matchLabels: {app: orders}
                  action: DENY
                  rules:
                  - from:
                    - source:
                        principals: ["cluster.local/ns/shop/sa/cart"]
                        notPrincipals: ["*/sa/legacy"]
                        requestPrincipals: ["https://issuer.example.com/*"]
                        notRequestPrincipals: ["https://issuer.example.com/bot-*"]
                        namespaces: [shop]
                        notNamespaces: [test]
                        ipBlocks: ["10.0.0.0/8"]
                        notIpBlocks: ["10.9.0.1"]
                        remoteIpBlocks: ["203.0.113.0/24"]
                        notRemoteIpBlocks: ["2001:db8::/32"]
                        trustDomains: [cluster.local]
                        notTrustDomains: ["old-*"]
                    - source:
                        serviceAccounts: [cart, "billing/invoicer"]
                        notServiceAccounts: ["shop/legacy"]
                    to:
                    - operation:
                        hosts: ["orders.shop.svc.cluster.local", "*.example.com"]
                        notHosts: ["admin.example.com"]
                        ports: ["8080"]
                        notPorts: ["9090"]
                        methods: [POST, DELETE]
                        notMethods: [GET]
                        paths: ["/orders/{*}/items", "/api/{**}"]
                        notPaths: ["/orders/internal/*"]
                    when:
                    - key: request.auth.claims[groups]
                      values: [admins]
                      notValues: [guests]
                    - key: destination.port
                      values: ["8080"]
                    - key: source.serviceAccount
                      notValues: ["shop/legacy"]
                """);

        assertThat(ap.action()).isEqualTo(Action.DENY);
        assertThat(ap.provider()).isNull();
        assertThat(ap.target().selector().matchLabels()).containsEntry("app", "orders");
        Rule rule = ap.rules().get(0);
        Source first = rule.from().get(0);
        assertThat(first.principals()).containsExactly("cluster.local/ns/shop/sa/cart");
        assertThat(first.notPrincipals()).containsExactly("*/sa/legacy");
        assertThat(first.requestPrincipals()).containsExactly("https://issuer.example.com/*");
        assertThat(first.notRequestPrincipals()).containsExactly("https://issuer.example.com/bot-*");
        assertThat(first.namespaces()).containsExactly("shop");
        assertThat(first.notNamespaces()).containsExactly("test");
        assertThat(first.ipBlocks()).containsExactly("10.0.0.0/8");
        assertThat(first.notIpBlocks()).containsExactly("10.9.0.1");
        assertThat(first.remoteIpBlocks()).containsExactly("203.0.113.0/24");
        assertThat(first.notRemoteIpBlocks()).containsExactly("2001:db8::/32");
        assertThat(first.trustDomains()).containsExactly("cluster.local");
        assertThat(first.notTrustDomains()).containsExactly("old-*");
        assertThat(rule.from().get(1).serviceAccounts()).containsExactly("cart", "billing/invoicer");
        assertThat(rule.from().get(1).notServiceAccounts()).containsExactly("shop/legacy");
        assertThat(rule.to()).containsExactly(new Operation(
                List.of("orders.shop.svc.cluster.local", "*.example.com"), List.of("admin.example.com"),
                List.of("8080"), List.of("9090"), List.of("POST", "DELETE"), List.of("GET"),
                List.of("/orders/{*}/items", "/api/{**}"), List.of("/orders/internal/*")));
        assertThat(rule.when()).containsExactly(
                new Condition("request.auth.claims[groups]", List.of("admins"), List.of("guests")),
                new Condition("destination.port", List.of("8080"), List.of()),
                new Condition("source.serviceAccount", List.of(), List.of("shop/legacy")));
    }

    @Test
    void readsTargetRefsAndTheProviderOfACustomPolicy() {
        AuthorizationPolicy ap = readAs(AuthorizationPolicy.class, """
                apiVersion: security.istio.io/v1beta1
                kind: AuthorizationPolicy
                metadata: {name: ext, namespace: shop}
                spec:
                  targetRefs:
                  - {group: gateway.networking.k8s.io, kind: Gateway, name: waypoint}
                  - {kind: Service, name: orders}
                  - {group: networking.istio.io, kind: ServiceEntry, name: payments}
                  action: CUSTOM
                  provider: {name: opa}
                  rules:
                  - to:
                    - operation: {paths: ["/admin/*"]}
                """);

        assertThat(ap.action()).isEqualTo(Action.CUSTOM);
        assertThat(ap.provider().name()).isEqualTo("opa");
        assertThat(ap.target().selector()).isNull();
        assertThat(ap.target().targetRefs()).containsExactly(
                new TargetRef("gateway.networking.k8s.io", "Gateway", "waypoint", ""),
                new TargetRef("", "Service", "orders", ""),
                new TargetRef("networking.istio.io", "ServiceEntry", "payments", ""));
    }

    @Test
    void defaultsToAllowAndAnEmptyRuleMatchesEverything() {
        AuthorizationPolicy ap = readAs(AuthorizationPolicy.class, """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: allow-all, namespace: shop}
                spec:
                  targetRef: {kind: Service, name: orders}
                  rules:
                  - {}
                """);

        assertThat(ap.action()).isEqualTo(Action.ALLOW);
        assertThat(ap.target().targetRef()).isEqualTo(new TargetRef("", "Service", "orders", ""));
        assertThat(ap.rules()).containsExactly(new Rule(List.of(), List.of(), List.of()));
    }

    @Test
    void aDenyRuleOnAPortGivesNoTcpWarning() {
        AuthorizationPolicy ap = acceptedAs(AuthorizationPolicy.class, """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: deny-delete, namespace: shop}
                spec:
                  action: DENY
                  rules:
                  - to:
                    - operation: {methods: [DELETE], ports: ["8080"]}
                """);

        assertThat(ap.rules()).hasSize(1);
    }

    @Test
    void anEnforcedPolicyIsAcceptedWithoutTheNotEnforcedWarning() {
        var c = compile("""
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: reviews
                  namespace: shop
                  annotations: {istio.io/dry-run: "true"}
                spec:
                  selector: {matchLabels: {app: reviews}}
                  rules:
                  - from: [{source: {principals: [cluster.local/ns/shop/sa/web], ipBlocks: [10.0.0.0/8]}}]
                    to: [{operation: {methods: [GET], paths: ["/items/{*}"], ports: ["9080"]}}]
                    when: [{key: "request.headers[x-tenant]", values: [acme]}]
                """);

        assertThat(c.errors()).isEmpty();
        assertThat(c.warnings()).isEmpty();
    }

    /** What meshlog cannot enforce is refused at its field, with the reason: never accepted as if in force. */
    @Test
    void whatMeshlogCannotEnforceIsRefusedAtItsField() {
        var c = compile("""
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: jwt, namespace: shop}
                spec:
                  rules:
                  - when: [{key: "experimental.envoy.filters.http.foo[bar]", values: [baz]}]
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: ext, namespace: shop}
                spec:
                  action: CUSTOM
                  provider: {name: opa}
                  rules: [{to: [{operation: {paths: [/admin]}}]}]
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: waypoint, namespace: shop}
                spec:
                  targetRefs: [{kind: Service, name: orders}]
                  rules: [{}]
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: maybe
                  namespace: shop
                  annotations: {istio.io/dry-run: "yes"}
                spec:
                  rules: [{}]
                """);

        assertThat(c.errors()).extracting(Diagnostic::code, Diagnostic::resource, Diagnostic::path)
                .containsExactlyInAnyOrder(
                        tuple("ML0017", "AuthorizationPolicy shop/jwt", "spec.rules[0].when[0].key"),
                        tuple("ML0017", "AuthorizationPolicy shop/ext", "spec.action"),
                        tuple("ML0017", "AuthorizationPolicy shop/ext", "spec.provider"),
                        tuple("ML0017", "AuthorizationPolicy shop/waypoint", "spec.targetRefs"),
                        tuple("ML0015", "AuthorizationPolicy shop/maybe", "metadata.annotations.istio.io/dry-run"));
        assertThat(c.errors()).filteredOn(d -> d.path().equals("spec.rules[0].when[0].key")).singleElement()
                .satisfies(d -> assertThat(d.message()).contains("metadata of filters").contains("refused"));
        assertThat(c.errors()).filteredOn(d -> d.path().equals("spec.action")).singleElement()
                .satisfies(d -> assertThat(d.message()).contains("CUSTOM").contains("extension provider"));
        assertThat(c.errors()).filteredOn(d -> d.code().equals("ML0017"))
                .allSatisfy(d -> assertThat(d.line()).isPositive());
    }

    @Test
    void anUnknownFieldIsAnErrorNotAWarning() {
        var c = compile("""
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: typo, namespace: shop}
                spec:
                  rules:
                  - from:
                    - source: {principals: [a], notPrincipal: [b]}
                """);

        assertThat(c.errors()).extracting(Diagnostic::code, Diagnostic::path)
                .containsExactly(tuple("ML0003", "spec.rules[0].from[0].source.notPrincipal"));
    }
}
