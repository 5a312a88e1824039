package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import meshlog.testkit.EnvoyBinary;
import meshlog.testkit.HttpBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every HTTP route feature of a VirtualService, through a real Envoy 1.40 sidecar with real traffic: each route of
 * one VirtualService is reached by its own path, and the test asserts what the caller and the backends saw. This
 * Envoy speaks delta ADS (Istio's default, and {@code meshlog bootstrap}'s); {@link EnvoySidecarRoutingTest}'s
 * speaks state of the world.
 */
class EnvoySidecarFeaturesTest {

    @TempDir
    static Path tmp;
    static HttpBackend v1;
    static HttpBackend v2;
    static int port;
    static EnvoySidecar sidecar;
    static HttpCalls calls;

    static final String ROUTES = """
              - match: [{sourceLabels: {app: other}}]
                route: [{destination: {host: web, subset: v2}}]
              - match: [{uri: {prefix: /redirect}}]
                redirect: {uri: /new, authority: other.example, redirectCode: 302}
              - match: [{uri: {exact: /direct}}]
                directResponse: {status: 418, body: {string: teapot}}
              - match: [{uri: {prefix: /rewrite/}}]
                rewrite: {uri: /r/, authority: rewritten.example}
                route: [{destination: {host: web, subset: v1}}]
              - match: [{uri: {prefix: /headers}}]
                headers:
                  request: {set: {x-added: "yes"}, remove: [x-drop]}
                  response: {set: {x-resp: "1"}}
                route: [{destination: {host: web, subset: v1}}]
              - match: [{uri: {prefix: /abort}}]
                fault: {abort: {httpStatus: 503, percentage: {value: 100}}}
                route: [{destination: {host: web, subset: v1}}]
              - match: [{uri: {prefix: /delay}}]
                fault: {delay: {fixedDelay: 400ms, percentage: {value: 100}}}
                route: [{destination: {host: web, subset: v1}}]
              - match: [{uri: {prefix: /mirror}}]
                route: [{destination: {host: web, subset: v1}}]
                mirror: {host: web, subset: v2}
                mirrorPercentage: {value: 100}
              - match: [{uri: {prefix: /m}, method: {exact: POST}, queryParams: {q: {exact: "1"}}}]
                route: [{destination: {host: web, subset: v2}}]
              - match: [{uri: {prefix: /wh}, withoutHeaders: {x-block: {}}}]
                route: [{destination: {host: web, subset: v2}}]
              - match: [{uri: {prefix: /CaSe}, ignoreUriCase: true}]
                route: [{destination: {host: web, subset: v2}}]
              - match: [{uri: {prefix: /cors}}]
                corsPolicy: {allowOrigins: [{exact: "https://ok.example"}], allowMethods: [GET], maxAge: 60s}
                route: [{destination: {host: web, subset: v1}}]
              - match: [{uri: {prefix: /slow}}]
                timeout: 300ms
                retries: {attempts: 0}
                route: [{destination: {host: web, subset: v1}}]
              - route: [{destination: {host: web, subset: v1}}]
            """;

    @BeforeAll
    static void start() {
        EnvoyBinary.require();
        v1 = HttpBackend.start("v1");
        v2 = HttpBackend.start("v2");
        port = EnvoySidecar.freePort();
        sidecar = EnvoySidecar.start(tmp, EnvoySidecar.webConfig(port, v1.port(), v2.port(), ROUTES), false);
        calls = new HttpCalls(port);
    }

    @AfterAll
    static void stop() {
        if (sidecar != null) {
            sidecar.close();
        }
        if (v1 != null) {
            v1.close();
            v2.close();
        }
    }

    @BeforeEach
    void reset() {
        v1.reset();
        v2.reset();
    }

    @Test
    void aMatchOnOtherWorkloadsSourceLabelsDoesNotCatchThisProxysTraffic() {
        assertThat(calls.get("web", "/plain").backend()).isEqualTo("v1");
        assertThat(sidecar.nacks()).isEqualTo(0);
    }

    @Test
    void redirectAndDirectResponseNeverReachABackend() {
        HttpCalls.Answer redirect = calls.get("web", "/redirect");
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.headers().get("location")).isEqualTo("http://other.example/new");
        HttpCalls.Answer direct = calls.get("web", "/direct");
        assertThat(direct.status()).isEqualTo(418);
        assertThat(direct.body()).isEqualTo("teapot");
        assertThat(v1.count() + v2.count()).isZero();
    }

    @Test
    void rewriteChangesPathAndAuthority() {
        assertThat(calls.get("web", "/rewrite/x?y=1").backend()).isEqualTo("v1");
        assertThat(v1.received()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/r/x?y=1");
            assertThat(r.headers().get("host")).isEqualTo("rewritten.example");
        });
    }

    @Test
    void headerOperationsOnRequestAndResponse() {
        HttpCalls.Answer a = calls.get("web", "/headers", "x-drop", "gone");
        assertThat(a.headers().get("x-resp")).isEqualTo("1");
        assertThat(v1.received()).singleElement().satisfies(r -> {
            assertThat(r.headers().get("x-added")).isEqualTo("yes");
            assertThat(r.headers()).doesNotContainKey("x-drop");
        });
    }

    @Test
    void faultAbortAnswersWithoutTheBackendAndDelayWaits() {
        for (int i = 0; i < 10; i++) {
            assertThat(calls.get("web", "/abort").status()).isEqualTo(503);
        }
        assertThat(v1.count()).isZero();
        long t0 = System.nanoTime();
        assertThat(calls.get("web", "/delay").backend()).isEqualTo("v1");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(380));
    }

    @Test
    void theMirrorGetsACopyAndTheCallerOnlyThePrimary() {
        for (int i = 0; i < 5; i++) {
            assertThat(calls.get("web", "/mirror").backend()).isEqualTo("v1");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> v2.count() == 5);
        assertThat(v2.received()).allSatisfy(r -> assertThat(r.path()).isEqualTo("/mirror"));
        // Envoy marks the copy's authority with -shadow, as Istio's docs show.
        assertThat(v2.received().get(0).headers().get("host")).isEqualTo("web-shadow");
        assertThat(v1.count()).isEqualTo(5);
    }

    @Test
    void methodQueryWithoutHeadersAndIgnoreCaseMatches() {
        assertThat(calls.call("POST", "web", "/m?q=1").backend()).isEqualTo("v2");
        assertThat(calls.call("GET", "web", "/m?q=1").backend()).isEqualTo("v1");
        assertThat(calls.call("POST", "web", "/m?q=2").backend()).isEqualTo("v1");
        assertThat(calls.get("web", "/wh").backend()).isEqualTo("v2");
        assertThat(calls.get("web", "/wh", "x-block", "1").backend()).isEqualTo("v1");
        assertThat(calls.get("web", "/case/page").backend()).isEqualTo("v2");
    }

    @Test
    void corsPreflightIsAnsweredForAllowedOriginsOnly() {
        HttpCalls.Answer ok = calls.call("OPTIONS", "web", "/cors", "Origin", "https://ok.example",
                "Access-Control-Request-Method", "GET");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.headers().get("access-control-allow-origin")).isEqualTo("https://ok.example");
        assertThat(ok.headers().get("access-control-max-age")).isEqualTo("60");
        HttpCalls.Answer bad = calls.call("OPTIONS", "web", "/cors", "Origin", "https://evil.example",
                "Access-Control-Request-Method", "GET");
        assertThat(bad.headers()).doesNotContainKey("access-control-allow-origin");
    }

    @Test
    void aRouteTimeoutAnswers504() {
        v1.slowNext(1, 1500);
        HttpCalls.Answer a = calls.get("web", "/slow");
        assertThat(a.status()).isEqualTo(504);
    }
}
