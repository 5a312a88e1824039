package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.Diagnostic;
import meshlog.testkit.EnvoyBinary;
import meshlog.testkit.HttpBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * exportTo as real Envoy 1.40 sidecars see it: one in namespace a and one in namespace b, each served the
 * reconciler's translation of the same config for its own namespace. A VirtualService exported to its own namespace
 * routes only a's sidecar, a ServiceEntry exported to a is reachable from a only, and a DestinationRule exported
 * elsewhere changes nothing. Without capture (interception NONE) both sidecars would bind the same 127.0.0.1 ports,
 * so each test runs them one after the other.
 */
class EnvoySidecarExportToTest {

    @TempDir
    static Path tmp;
    static HttpBackend v1;
    static HttpBackend v2;
    static HttpBackend partner;
    static int webPort;
    static int partnerPort;
    static int vaultPort;
    static TlsBackend vaultBackend;
    static int runs;

    @BeforeAll
    static void start() throws Exception {
        EnvoyBinary.require();
        vaultBackend = new TlsBackend("vault", EnvoyGatewayTest.serverContext(new TestPki().issue("vault.example.com")));
        vaultPort = EnvoySidecar.freePort();
        v1 = HttpBackend.start("v1");
        v2 = HttpBackend.start("v2");
        partner = HttpBackend.start("partner");
        webPort = EnvoySidecar.freePort();
        partnerPort = EnvoySidecar.freePort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (vaultBackend != null) {
            vaultBackend.close();
        }
        for (HttpBackend b : new HttpBackend[] {v1, v2, partner}) {
            if (b != null) {
                b.close();
            }
        }
    }

    @BeforeEach
    void reset() {
        v1.reset();
        v2.reset();
        partner.reset();
    }

    /** Runs {@code test} against a sidecar of {@code namespace} served {@code yaml}, then stops it. */
    static void inSidecarOf(String namespace, String yaml, java.util.function.Consumer<EnvoySidecar> test)
            throws Exception {
        ProxyScope scope = ProxyScope.sidecar(namespace, Map.of("app", "client"), ProxyScope.Interception.NONE);
        String nodeId = "sidecar~127.0.0.1~client-1." + namespace + "~" + namespace + ".svc.cluster.local";
        Path dir = Files.createDirectories(tmp.resolve(namespace + "-" + runs++));
        try (EnvoySidecar sidecar = EnvoySidecar.start(dir, yaml, EnvoySidecar.spec(scope, nodeId, false))) {
            test.accept(sidecar);
            assertThat(sidecar.nacks()).isZero();
        }
    }

    /**
     * web (v1) and canary (v2), both of a and exported everywhere; a VirtualService of a, exported to a only, sends
     * web's traffic to canary; partner.example.com, declared in c, exported to a only; and {@code more}.
     */
    static String config(String more) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: web, namespace: a}
                spec:
                  hosts: [web.a.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: %1$d, name: http, protocol: HTTP}]
                  endpoints: [{address: 127.0.0.1, ports: {http: %2$d}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: canary, namespace: a}
                spec:
                  hosts: [canary.a.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: %1$d, name: http, protocol: HTTP}]
                  endpoints: [{address: 127.0.0.1, ports: {http: %3$d}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: web, namespace: a}
                spec:
                  hosts: [web.a.svc.cluster.local]
                  exportTo: ["."]
                  http:
                  - route:
                    - destination: {host: canary.a.svc.cluster.local}
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: partner, namespace: c}
                spec:
                  hosts: [partner.example.com]
                  exportTo: [a]
                  location: MESH_EXTERNAL
                  resolution: STATIC
                  ports: [{number: %4$d, name: http, protocol: HTTP}]
                  endpoints: [{address: 127.0.0.1, ports: {http: %5$d}}]
                """.formatted(webPort, v1.port(), v2.port(), partnerPort, partner.port()) + more;
    }

    @Test
    void aVirtualServiceExportedToItsOwnNamespaceRoutesOnlyThatNamespacesSidecar() throws Exception {
        inSidecarOf("a", config(""), sidecar -> {
            for (int i = 0; i < 5; i++) {
                assertThat(new HttpCalls(webPort).get("web.a.svc.cluster.local", "/").backend()).isEqualTo("v2");
            }
        });
        assertThat(v2.count()).isEqualTo(5);
        assertThat(v1.count()).isZero();
        // b does not see it: web's default route, to web's own endpoint.
        inSidecarOf("b", config(""), sidecar -> {
            for (int i = 0; i < 5; i++) {
                assertThat(new HttpCalls(webPort).get("web.a.svc.cluster.local", "/").backend()).isEqualTo("v1");
            }
        });
        assertThat(v1.count()).isEqualTo(5);
        assertThat(v2.count()).isEqualTo(5);
    }

    @Test
    void aServiceEntryExportedToANamespaceIsReachableFromItAlone() throws Exception {
        String partnerCluster = "outbound|" + partnerPort + "||partner.example.com";
        inSidecarOf("a", config(""), sidecar -> {
            HttpCalls.Answer a = new HttpCalls(partnerPort).get("partner.example.com", "/");
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.backend()).isEqualTo("partner");
            assertThat(sidecar.names("ClustersConfigDump", "dynamic_active_clusters", "/cluster/name"))
                    .contains(partnerCluster);
        });
        inSidecarOf("b", config(""), sidecar -> {
            // No outbound listener for its port: the connection is refused, nothing reaches partner.
            HttpCalls.Answer refused = new HttpCalls(partnerPort).get("partner.example.com", "/");
            assertThat(refused.status()).isEqualTo(-1);
            assertThat(refused.headers().get("error")).contains("Connection refused");
            assertThat(sidecar.names("ListenersConfigDump", "dynamic_listeners", "/name"))
                    .containsExactly("127.0.0.1_" + webPort);
            assertThat(sidecar.names("ClustersConfigDump", "dynamic_active_clusters", "/cluster/name"))
                    .doesNotContain(partnerCluster);
        });
        // REGISTRY_ONLY in b: on a port b's sidecar has, the host is one no service b sees claims, so Istio's
        // block_all answers 502.
        inSidecarOf("b", config(REGISTRY_ONLY_IN_B), sidecar -> {
            HttpCalls.Answer blocked = new HttpCalls(webPort).get("partner.example.com", "/");
            assertThat(blocked.status()).isEqualTo(502);
            assertThat(blocked.backend()).isEmpty();
        });
        assertThat(partner.count()).isEqualTo(1);
    }

    static final String REGISTRY_ONLY_IN_B = """
            ---
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata: {name: default, namespace: b}
            spec:
              outboundTrafficPolicy: {mode: REGISTRY_ONLY}
            """;

    /** vault of a, an HTTPS endpoint, and a DestinationRule of a that makes sidecars speak TLS to it. */
    static String vault(String exportTo) {
        return """
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: vault, namespace: a}
                spec:
                  hosts: [vault.a.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: %d, name: http, protocol: HTTP}]
                  endpoints: [{address: 127.0.0.1, ports: {http: %d}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: vault, namespace: a}
                spec:
                  host: vault.a.svc.cluster.local
                  exportTo: %s
                  trafficPolicy: {tls: {mode: SIMPLE, insecureSkipVerify: true}}
                """.formatted(vaultPort, vaultBackend.port(), exportTo);
    }

    @Test
    void aDestinationRuleExportedElsewhereHasNoEffect() throws Exception {
        // Exported to c only: b's sidecar speaks plain HTTP to vault, as without the rule; the TLS server answers
        // with a TLS alert, which Envoy reads as an HTTP protocol error: 502.
        inSidecarOf("b", config(vault("[c]")), sidecar -> {
            HttpCalls.Answer a = new HttpCalls(vaultPort).get("vault.a.svc.cluster.local", "/");
            assertThat(a.status()).isEqualTo(502);
            assertThat(a.body()).endsWith("reset reason: protocol error");
            assertThat(sidecar.envoy().stat("cluster.outbound|" + vaultPort
                    + "||vault.a.svc.cluster.local.upstream_cx_protocol_error")).isEqualTo(1);
        });
        assertThat(vaultBackend.served()).isZero();
        // Exported to b, the same rule applies there: TLS, and vault answers.
        inSidecarOf("b", config(vault("[b]")), sidecar -> {
            HttpCalls.Answer a = new HttpCalls(vaultPort).get("vault.a.svc.cluster.local", "/");
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.backend()).isEqualTo("vault");
        });
        // "~" on a DestinationRule is refused, as Istio's validation refuses it: such a commit is never applied.
        assertThat(errors(config(vault("[\"~\"]")))).containsExactly("DR0007");
    }

    static java.util.List<String> errors(String yaml) {
        return ConfigCompiler.compile(Map.of("config.yaml", yaml.getBytes(StandardCharsets.UTF_8))).errors()
                .stream().map(Diagnostic::code).toList();
    }
}
