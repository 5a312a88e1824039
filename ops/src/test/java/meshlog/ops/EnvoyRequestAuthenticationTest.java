package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import meshlog.testkit.EnvoyBinary;
import meshlog.testkit.HttpBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RequestAuthentication and the AuthorizationPolicies on its tokens, translated as the reconciler translates them
 * and served to one real Envoy 1.40 sidecar (demo/app=client, one inbound HTTP listener it binds in front of the
 * application): tokens signed in the test with its own RSA key, whose JWK set a server on 127.0.0.1 serves as the
 * {@code jwksUri} (Envoy fetches it through the cluster meshlog adds) or the policy carries inline. What a client
 * sees is what Istio's sidecar answers: 200 from the application, 401 from Envoy's JWT filter for a token it cannot
 * verify, 403 {@code RBAC: access denied} when a policy wants a principal or claim the request does not have.
 */
class EnvoyRequestAuthenticationTest {

    private static final String ISSUER = "https://issuer.test";
    private static final String DENIED = "RBAC: access denied";

    @TempDir
    static Path tmp;
    static HttpBackend app;
    static TestJwts issuer;
    static TestJwts stranger;
    static String jwksUri;
    static int inbound;
    static int outbound;
    static EnvoySidecar sidecar;

    @BeforeAll
    static void start() {
        EnvoyBinary.require();
        app = HttpBackend.start("app");
        issuer = TestJwts.withKey("k1");
        stranger = TestJwts.withKey("k1"); // the same key id, another key: a forged signature
        jwksUri = issuer.serve();
        inbound = EnvoySidecar.freePort();
        outbound = EnvoySidecar.freePort();
        sidecar = EnvoySidecar.start(tmp, config(remote("")), false);
    }

    @AfterAll
    static void stop() {
        if (sidecar != null) {
            sidecar.close();
        }
        if (issuer != null) {
            issuer.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aValidTokenReachesTheWorkloadAndOneEnvoyCannotVerifyIs401() {
        serve(config(remote("")));
        assertApp(call(token(issuer, "alice", 3600, ISSUER, "orders")));
        assertThat(issuer.fetches()).as("JWKS fetches Envoy made through the cluster meshlog added").isPositive();
        assertThat(app.received().get(app.count() - 1).headers()).as("what the workload got")
                .doesNotContainKey("authorization"); // forwardOriginalToken unset: Envoy strips the token

        // Expired past Envoy's 60 s clock skew.
        assertRefused(() -> call(token(issuer, "alice", -600, ISSUER, "orders")), 401, "Jwt is expired");
        assertRefused(() -> call(token(stranger, "alice", 3600, ISSUER, "orders")), 401, "Jwt verification fails");
        assertRefused(() -> call(token(issuer, "alice", 3600, "https://other.test", "orders")), 401,
                "Jwt issuer is not configured");
        assertRefused(() -> call("not-a-jwt"), 401, "Jwt is not in the form of Header.Payload.Signature with two dots"
                + " and 3 sections");
        // Envoy answers a token for another audience 403, as Istio's sidecar does (same filter).
        assertRefused(() -> call(token(issuer, "alice", 3600, ISSUER, "billing")), 403,
                "Audiences in Jwt are not allowed");

        assertApp(call(null)); // no token, no policy on principals: let through with no identity
    }

    @Test
    void requestPrincipalsRequireAVerifiedToken() {
        serve(config(remote("") + allow("""
                  - from: [{source: {requestPrincipals: ["%s/*"]}}]
                """.formatted(ISSUER))));
        assertRefused(() -> call(null), 403, DENIED);
        assertApp(call(token(issuer, "alice", 3600, ISSUER, "orders")));
        assertRefused(() -> call(token(stranger, "alice", 3600, ISSUER, "orders")), 401, "Jwt verification fails");
    }

    @Test
    void aClaimConditionAllowsOneSubjectAndDeniesAnother() {
        serve(config(remote("") + allow("""
                  - from: [{source: {requestPrincipals: ["%s/alice"]}}]
                  - when:
                    - {key: "request.auth.claims[groups]", values: [admins]}
                    - {key: request.auth.audiences, values: [orders]}
                """.formatted(ISSUER))));
        assertApp(call(token(issuer, "alice", 3600, ISSUER, "orders")));
        assertRefused(() -> call(token(issuer, "bob", 3600, ISSUER, "orders")), 403, DENIED);
        // A list claim: one of its items matches.
        assertApp(call(token(issuer, "carol", 3600, ISSUER, "orders", List.of("staff", "admins"))));
        assertRefused(() -> call(token(issuer, "dave", 3600, ISSUER, "orders", List.of("staff"))), 403, DENIED);
    }

    @Test
    void anInlineJwksVerifiesWithoutAFetch() {
        serve(config("""
                apiVersion: security.istio.io/v1
                kind: RequestAuthentication
                metadata: {name: inline, namespace: demo}
                spec:
                  selector: {matchLabels: {app: client}}
                  jwtRules:
                  - issuer: %s
                    jwks: '%s'
                """.formatted(ISSUER, issuer.jwks())));
        int fetches = issuer.fetches();
        assertApp(call(token(issuer, "alice", 3600, ISSUER, "orders")));
        assertRefused(() -> call(token(stranger, "alice", 3600, ISSUER, "orders")), 401, "Jwt verification fails");
        assertThat(issuer.fetches()).as("JWKS fetches").isEqualTo(fetches);
    }

    @Test
    void tokensAreTakenWhereTheRuleSaysAndForwardedAsItSays() {
        serve(config(remote("""
                    fromHeaders: [{name: x-jwt, prefix: "Token "}]
                    fromParams: [jwt]
                    outputPayloadToHeader: x-jwt-payload
                    forwardOriginalToken: true
                """) + allow("""
                  - from: [{source: {requestPrincipals: ["*"]}}]
                """)));
        String alice = token(issuer, "alice", 3600, ISSUER, "orders");
        // Authorization is not where this rule looks: no token, so no principal.
        assertRefused(() -> call(alice), 403, DENIED);
        HttpCalls.Answer header = new HttpCalls(inbound).get("client", "/", "x-jwt", "Token " + alice);
        assertApp(header);
        Map<String, String> got = app.received().get(app.count() - 1).headers();
        assertThat(got).containsEntry("x-jwt", "Token " + alice);
        String payload = new String(java.util.Base64.getUrlDecoder().decode(got.get("x-jwt-payload")),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(payload).contains("\"sub\":\"alice\"");
        assertApp(new HttpCalls(inbound).get("client", "/orders?jwt=" + alice));
    }

    private static HttpCalls.Answer call(String token) {
        HttpCalls calls = new HttpCalls(inbound);
        return token == null ? calls.get("client", "/orders") : calls.get("client", "/orders", "Authorization",
                "Bearer " + token);
    }

    private static void assertApp(HttpCalls.Answer a) {
        assertThat(a.status()).as("status (body %s)", a.body()).isEqualTo(200);
        assertThat(a.backend()).isEqualTo("app");
    }

    private static void assertRefused(java.util.function.Supplier<HttpCalls.Answer> request, int status,
                                      String body) {
        int before = app.count();
        HttpCalls.Answer a = request.get();
        assertThat(a.status()).as("status (body %s)", a.body()).isEqualTo(status);
        assertThat(a.body()).isEqualTo(body);
        assertThat(a.backend()).as("no application answered").isEmpty();
        assertThat(app.count()).isEqualTo(before);
    }

    private static String token(TestJwts keys, String sub, long expiresIn, String iss, String aud) {
        return token(keys, sub, expiresIn, iss, aud, List.of());
    }

    private static String token(TestJwts keys, String sub, long expiresIn, String iss, String aud,
                                List<String> groups) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new java.util.LinkedHashMap<>();
        claims.put("iss", iss);
        claims.put("sub", sub);
        claims.put("aud", aud);
        claims.put("iat", now - 120);
        claims.put("exp", now + expiresIn);
        if (!groups.isEmpty()) {
            claims.put("groups", groups);
        } else if (sub.equals("alice")) {
            claims.put("groups", "admins");
        }
        return keys.sign(claims);
    }

    private static void serve(String yaml) {
        sidecar.serve(yaml);
    }

    /** The RequestAuthentication of demo/app=client with the served JWKS, audience orders, and {@code extra} fields. */
    private static String remote(String extra) {
        return """
                apiVersion: security.istio.io/v1
                kind: RequestAuthentication
                metadata: {name: client, namespace: demo}
                spec:
                  selector: {matchLabels: {app: client}}
                  jwtRules:
                  - issuer: %s
                    audiences: [orders]
                    jwksUri: %s
                %s""".formatted(ISSUER, jwksUri, extra);
    }

    private static String allow(String rules) {
        return """
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: client, namespace: demo}
                spec:
                  selector: {matchLabels: {app: client}}
                  rules:
                %s""".formatted(rules);
    }

    /** Service web.demo outbound (so Envoy subscribes to every type), the Sidecar's inbound port, {@code policies}. */
    private static String config(String policies) {
        return EnvoySidecar.webConfig(outbound, app.port(), app.port(),
                "  - route: [{destination: {host: web, subset: v1}}]\n") + """
                ---
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: client, namespace: demo}
                spec:
                  workloadSelector: {labels: {app: client}}
                  ingress:
                  - port: {number: %d, protocol: HTTP, name: http}
                    defaultEndpoint: 127.0.0.1:%d
                ---
                """.formatted(inbound, app.port()) + policies;
    }
}
