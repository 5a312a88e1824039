package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import meshlog.testkit.EnvoyBinary;
import meshlog.testkit.HttpBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VirtualService delegation through a real Envoy 1.40 sidecar: the root {@code demo/web} hands {@code /productpage}
 * to the delegate {@code team/web-pages}, which splits by the {@code end-user} header; the test asserts which
 * backend answered each call, and that the root's request headers reached the backend through the delegate's
 * routes.
 */
class EnvoySidecarDelegationTest {

    @TempDir
    static Path tmp;
    static HttpBackend v1;
    static HttpBackend v2;
    static EnvoySidecar sidecar;
    static HttpCalls calls;

    static final String ROUTES = """
              - name: pages
                match: [{uri: {prefix: /productpage}}]
                headers:
                  request: {set: {x-via: root}}
                delegate: {name: web-pages, namespace: team}
              - route: [{destination: {host: web, subset: v2}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: web-pages, namespace: team}
            spec:
              http:
              - name: jason
                match: [{headers: {end-user: {exact: jason}}}]
                route: [{destination: {host: web.demo.svc.cluster.local, subset: v2}}]
              - name: outside
                match: [{uri: {prefix: /reviews}}]
                route: [{destination: {host: web.demo.svc.cluster.local, subset: v1}}]
              - name: others
                route: [{destination: {host: web.demo.svc.cluster.local, subset: v1}}]
            """;

    @BeforeAll
    static void start() {
        EnvoyBinary.require();
        v1 = HttpBackend.start("v1");
        v2 = HttpBackend.start("v2");
        int port = EnvoySidecar.freePort();
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
    void theDelegateSplitsTheRootPrefixByHeader() {
        assertThat(calls.get("web", "/productpage", "end-user", "jason").backend()).isEqualTo("v2");
        assertThat(calls.get("web", "/productpage/item", "end-user", "jason").backend()).isEqualTo("v2");
        assertThat(calls.get("web", "/productpage").backend()).isEqualTo("v1");
        assertThat(calls.get("web", "/productpage", "end-user", "maria").backend()).isEqualTo("v1");
        assertThat(v1.count()).isEqualTo(2);
        assertThat(v2.count()).isEqualTo(2);
        assertThat(sidecar.nacks()).isEqualTo(0);
    }

    @Test
    void pathsOutsideTheRootPrefixTakeTheRootsOtherRoutes() {
        // The header match alone is merged with the root's /productpage prefix: elsewhere it does not apply.
        assertThat(calls.get("web", "/other", "end-user", "jason").backend()).isEqualTo("v2");
        // The delegate's /reviews route is outside /productpage, so Istio (and meshlog) drop it: v2, not v1.
        assertThat(calls.get("web", "/reviews").backend()).isEqualTo("v2");
        assertThat(v1.count()).isZero();
    }

    @Test
    void theRootsRequestHeadersApplyToTheDelegatedRoutes() {
        assertThat(calls.get("web", "/productpage", "end-user", "jason").backend()).isEqualTo("v2");
        assertThat(calls.get("web", "/other").backend()).isEqualTo("v2");
        assertThat(v2.received()).extracting(r -> r.headers().get("x-via")).containsExactly("root", null);
    }
}
