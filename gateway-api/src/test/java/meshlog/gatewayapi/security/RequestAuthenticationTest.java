package meshlog.gatewayapi.security;

import static meshlog.gatewayapi.security.SecurityTestSupport.acceptedAs;
import static meshlog.gatewayapi.security.SecurityTestSupport.compile;
import static meshlog.gatewayapi.security.SecurityTestSupport.readAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Duration;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.model.RequestAuthentication;
import meshlog.gatewayapi.model.RequestAuthentication.ClaimToHeader;
import meshlog.gatewayapi.model.RequestAuthentication.JwtHeader;
import meshlog.gatewayapi.model.RequestAuthentication.JwtRule;
import meshlog.gatewayapi.model.RequestAuthentication.Presence;
import org.junit.jupiter.api.Test;

class RequestAuthenticationTest {

    static final String PUBLIC_JWKS = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"use\":\"sig\",\"n\":\"0vx7ago\","
            + "\"e\":\"AQAB\"},{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"f83OJ3D2\",\"y\":\"x_FEzRu9\"}]}";

    @Test
    void readsEveryJwtRuleField() {
        RequestAuthentication ra = readAs(RequestAuthentication.class, """
                apiVersion: security.istio.io/v1
                kind: RequestAuthentication
                metadata: {name: jwt, namespace: shop}
                spec:
                  selector:
                    matchLabels: {app: orders}
                  jwtRules:
                  - issuer: "https://issuer.example.com"
                    audiences: [orders, shop]
                    jwksUri: https://issuer.example.com/.well-known/jwks.json
                    fromHeaders:
                    - {name: x-jwt, prefix: "Bearer "}
                    - {name: x-token}
                    fromParams: [access_token]
                    fromCookies: [session]
                    outputPayloadToHeader: x-jwt-payload
                    forwardOriginalToken: true
                    outputClaimToHeaders:
                    - {header: x-user, claim: sub}
                    timeout: 1.5s
                    spaceDelimitedClaims: [scope, "provider.login.scope"]
                    presence: REQUIRED
                  - issuer: other
                    jwks: '%s'
                """.formatted(PUBLIC_JWKS));

        assertThat(ra.target().selector().matchLabels()).containsEntry("app", "orders");
        JwtRule rule = ra.jwtRules().get(0);
        assertThat(rule.issuer()).isEqualTo("https://issuer.example.com");
        assertThat(rule.audiences()).containsExactly("orders", "shop");
        assertThat(rule.jwksUri()).isEqualTo("https://issuer.example.com/.well-known/jwks.json");
        assertThat(rule.jwks()).isNull();
        assertThat(rule.fromHeaders()).containsExactly(new JwtHeader("x-jwt", "Bearer "), new JwtHeader("x-token", ""));
        assertThat(rule.fromParams()).containsExactly("access_token");
        assertThat(rule.fromCookies()).containsExactly("session");
        assertThat(rule.outputPayloadToHeader()).isEqualTo("x-jwt-payload");
        assertThat(rule.forwardOriginalToken()).isTrue();
        assertThat(rule.outputClaimToHeaders()).containsExactly(new ClaimToHeader("x-user", "sub"));
        assertThat(rule.timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(rule.spaceDelimitedClaims()).containsExactly("scope", "provider.login.scope");
        assertThat(rule.presence()).isEqualTo(Presence.REQUIRED);

        JwtRule second = ra.jwtRules().get(1);
        assertThat(second.jwks()).isEqualTo(PUBLIC_JWKS);
        assertThat(second.jwksUri()).isNull();
        assertThat(second.presence()).isEqualTo(Presence.OPTIONAL);
        assertThat(second.forwardOriginalToken()).isFalse();
        assertThat(second.timeout()).isNull();
    }

    @Test
    void readsJwksUriUnderItsProtoNameAndTargetRefs() {
        RequestAuthentication ra = readAs(RequestAuthentication.class, """
                apiVersion: security.istio.io/v1beta1
                kind: RequestAuthentication
                metadata: {name: jwt, namespace: shop}
                spec:
                  targetRefs:
                  - {group: gateway.networking.k8s.io, kind: Gateway, name: ingress}
                  jwtRules:
                  - jwks_uri: https://issuer.example.com/jwks.json
                """);

        assertThat(ra.jwtRules().get(0).jwksUri()).isEqualTo("https://issuer.example.com/jwks.json");
        assertThat(ra.jwtRules().get(0).issuer()).isNull();
        assertThat(ra.target().targetRefs()).hasSize(1);
    }

    @Test
    void aPrivateKeyInTheJwksIsAWarningNamingTheKey() {
        var c = compile("""
                apiVersion: security.istio.io/v1
                kind: RequestAuthentication
                metadata: {name: jwt, namespace: shop}
                spec:
                  jwtRules:
                  - issuer: example
                    jwks: '{"keys":[{"kty":"EC","kid":"signing","crv":"P-256","x":"a","y":"b","d":"secret"}]}'
                """);

        assertThat(c.errors()).isEmpty();
        assertThat(c.warnings()).filteredOn(d -> d.code().equals("RA0106")).singleElement()
                .satisfies(d -> assertThat(d.message()).contains("kid \"signing\"").contains("d"));
    }

    @Test
    void anUnknownFieldIsAnErrorNotAWarning() {
        var c = compile("""
                apiVersion: security.istio.io/v1
                kind: RequestAuthentication
                metadata: {name: jwt, namespace: shop}
                spec:
                  jwtRules:
                  - issuer: example
                    jwksUri: https://example.com/jwks.json
                    fromHeaders:
                    - {name: x-jwt, valuePrefix: "Bearer "}
                """);

        assertThat(c.errors()).extracting(Diagnostic::code, Diagnostic::path)
                .containsExactly(tuple("ML0003", "spec.jwtRules[0].fromHeaders[0].valuePrefix"));
    }

    /** What the JWT filter meshlog builds cannot do is refused at its field, never accepted as if in force. */
    @Test
    void whatMeshlogCannotEnforceIsRefusedAtItsField() {
        var c = compile("""
                apiVersion: security.istio.io/v1
                kind: RequestAuthentication
                metadata: {name: jwt, namespace: shop}
                spec:
                  targetRefs:
                  - {group: gateway.networking.k8s.io, kind: Gateway, name: ingress}
                  jwtRules:
                  - issuer: https://discovered.example.com
                  - jwksUri: https://issuer.example.com/jwks.json
                    presence: REQUIRED
                  - issuer: fine
                    jwksUri: https://issuer.example.com/jwks.json
                    presence: OPTIONAL
                """);

        assertThat(c.errors()).extracting(Diagnostic::code, Diagnostic::path).containsExactlyInAnyOrder(
                tuple("ML0017", "spec.targetRefs"),
                tuple("ML0017", "spec.jwtRules[0].issuer"),
                tuple("ML0017", "spec.jwtRules[1].presence"));
        assertThat(c.errors()).filteredOn(d -> d.path().equals("spec.jwtRules[0].issuer")).singleElement()
                .satisfies(d -> assertThat(d.message()).contains("OpenID discovery").contains("jwksUri"));
    }

    @Test
    void aJwksUriWithoutAHostIsAnError() {
        var c = compile("""
                apiVersion: security.istio.io/v1
                kind: RequestAuthentication
                metadata: {name: jwt, namespace: shop}
                spec:
                  jwtRules:
                  - {issuer: a, jwksUri: "http:///jwks.json"}
                  - {issuer: b, jwksUri: "https://issuer example.com/jwks.json"}
                """);

        assertThat(c.errors()).extracting(Diagnostic::code, Diagnostic::path).containsExactly(
                tuple("RA0103", "spec.jwtRules[0].jwksUri"), tuple("RA0103", "spec.jwtRules[1].jwksUri"));
    }
}
