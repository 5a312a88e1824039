package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import meshlog.testkit.EnvoyBinary;
import meshlog.testkit.HttpBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The authorization table ({@code authorization-table.yaml}): AuthorizationPolicies translated as the reconciler
 * translates them, served to one real Envoy 1.40 sidecar (workload demo/app=client, two inbound HTTP listeners and
 * one TCP listener it binds, all forwarding to one application), and real HTTP requests through them: each row's
 * status must be what Istio's sidecar would answer, 200 from the application or 403 {@code RBAC: access denied}
 * from Envoy; on the TCP port, a connection the network RBAC filter closes ({@code -1}: no response).
 */
class EnvoyAuthorizationTableTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String DENIED = "RBAC: access denied";
    /** The table's status for a TCP connection Envoy's network RBAC filter closed: no response at all. */
    private static final int CLOSED = -1;

    @TempDir
    static Path tmp;
    static HttpBackend app;
    static int p1;
    static int p2;
    static int p3;
    static int outbound;
    static EnvoySidecar sidecar;
    static String served;

    /** One request of a row; absent fields take the defaults the table's header gives. */
    record Request(String method, String port, String path, String host, String from, Map<String, String> headers,
                   int expect) {
        Request {
            method = method == null ? "GET" : method;
            port = port == null ? "P1" : port;
            host = host == null ? "web.demo.svc.cluster.local" : host;
            from = from == null ? "127.0.0.1" : from;
            headers = headers == null ? Map.of() : headers;
        }

        @Override
        public String toString() {
            return method + " " + port + " " + path + (host.startsWith("web.") ? "" : " host " + host)
                    + (from.equals("127.0.0.1") ? "" : " from " + from) + (headers.isEmpty() ? "" : " " + headers)
                    + " -> " + expect;
        }
    }

    /** Policies and the requests that test them. */
    record Group(String group, String policies, List<Request> requests) {
    }

    @BeforeAll
    static void start() {
        EnvoyBinary.require();
        app = HttpBackend.start("app");
        p1 = EnvoySidecar.freePort();
        p2 = EnvoySidecar.freePort();
        p3 = EnvoySidecar.freePort();
        outbound = EnvoySidecar.freePort();
        served = config("");
        sidecar = EnvoySidecar.start(tmp, served, false);
    }

    @AfterAll
    static void stop() {
        if (sidecar != null) {
            sidecar.close();
        }
        if (app != null) {
            app.close();
        }
    }

    static List<Group> table() throws IOException {
        try (InputStream in = EnvoyAuthorizationTableTest.class.getResourceAsStream("/authorization-table.yaml")) {
            return List.of(YAML.readValue(in, Group[].class));
        }
    }

    static Stream<Arguments> rows() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (Group g : table()) {
            g.requests().forEach(r -> out.add(Arguments.of(g.group() + ": " + r, g, r)));
        }
        return out.stream();
    }

    @Test
    void theTableHasAtLeastFortyRows() throws IOException {
        assertThat(rows().count()).isGreaterThanOrEqualTo(40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void envoyAnswersAsIstiosSidecarWould(String name, Group group, Request r) {
        serve(group.policies());
        int before = app.count();
        int port = switch (r.port()) {
            case "P1" -> p1;
            case "P2" -> p2;
            case "P3" -> p3;
            default -> throw new AssertionError(r.port());
        };
        HttpCalls calls = new HttpCalls(port).from(r.from());
        List<String> headers = new ArrayList<>();
        r.headers().forEach((k, v) -> {
            headers.add(k);
            headers.add(v);
        });
        HttpCalls.Answer a = calls.call(r.method(), r.host(), r.path(), headers.toArray(String[]::new));
        assertThat(a.status()).as("status of %s (body %s)", r, a.body()).isEqualTo(r.expect());
        if (r.expect() == 403) {
            assertThat(a.body()).isEqualTo(DENIED);
            assertThat(app.count()).as("requests the application saw").isEqualTo(before);
        } else if (r.expect() == CLOSED) {
            assertThat(a.headers().get("error")).as("what the client saw").startsWith("no complete response");
            assertThat(app.count()).as("requests the application saw").isEqualTo(before);
        } else {
            assertThat(a.backend()).isEqualTo("app");
            assertThat(app.count()).as("requests the application saw").isEqualTo(before + 1);
        }
        assertThat(sidecar.nacks()).isZero();
    }

    /** A dry-run DENY policy lets the request through, and Envoy counts it under Istio's shadow prefix. */
    @Test
    void aDryRunDenyIsCountedAsWouldBeDenied() {
        serve("""
                kind: AuthorizationPolicy
                metadata:
                  name: try-deny-all
                  annotations: {istio.io/dry-run: "true"}
                spec:
                  action: DENY
                  rules: [{}]
                """);
        String stat = "http.inbound_0.0.0.0_" + p1 + ".rbac.istio_dry_run_deny_.shadow_denied";
        long before = sidecar.envoy().stat(stat);
        assertThat(new HttpCalls(p1).get("web", "/").status()).isEqualTo(200);
        assertThat(sidecar.envoy().stat(stat)).isEqualTo(before + 1);
    }

    private static void serve(String policies) {
        String yaml = config(policies);
        if (!yaml.equals(served)) {
            sidecar.serve(yaml);
            served = yaml;
        }
    }

    /**
     * The Sidecar of demo/app=client with its two inbound ports, and {@code policies} in namespace demo; and one
     * outbound service, so Envoy subscribes to every xDS type (what {@link EnvoySidecar} waits for).
     */
    private static String config(String policies) {
        StringBuilder out = new StringBuilder(EnvoySidecar.webConfig(outbound, app.port(), app.port(),
                "  - route: [{destination: {host: web, subset: v1}}]\n")).append("""
                ---
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: client, namespace: demo}
                spec:
                  workloadSelector: {labels: {app: client}}
                  ingress:
                  - port: {number: %d, protocol: HTTP, name: http}
                    defaultEndpoint: 127.0.0.1:%d
                  - port: {number: %d, protocol: HTTP, name: http-second}
                    defaultEndpoint: 127.0.0.1:%d
                  - port: {number: %d, protocol: TCP, name: tcp}
                    defaultEndpoint: 127.0.0.1:%d
                """.formatted(p1, app.port(), p2, app.port(), p3, app.port()));
        String text = policies.replace("${P1}", String.valueOf(p1)).replace("${P2}", String.valueOf(p2))
                .replace("${P3}", String.valueOf(p3));
        try (var parser = YAML.createParser(text)) {
            for (var it = YAML.readValues(parser, ObjectNode.class); it.hasNext(); ) {
                ObjectNode doc = it.next();
                if (doc == null) {
                    continue;
                }
                doc.put("apiVersion", "security.istio.io/v1");
                JsonNode meta = doc.path("metadata");
                if (!meta.has("namespace")) {
                    ((ObjectNode) meta).put("namespace", "demo");
                }
                out.append("---\n").append(doc).append('\n');
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }
}
