package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import meshlog.testkit.EnvoyBinary;
import meshlog.testkit.HttpBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Service discovery and L4 routing through a real Envoy 1.40 sidecar (interception NONE: listeners bind
 * {@code 127.0.0.1}, or the service's VIP, themselves), with real traffic: ServiceEntry DNS resolutions, endpoints
 * from WorkloadEntries, a weighted {@code tcp[]} route and {@code tls[]} routes by SNI to TLS backends.
 */
class EnvoySidecarDiscoveryTest {

    /**
     * The TCP service's VIP: no address of this machine. Without capture the listener binds 127.0.0.1 (as Istio's
     * do in mode NONE); binding the VIP would fail and Envoy would reject the listener.
     */
    static final String VIP = "10.96.0.77";
    static final int CONNECTIONS = 200;

    @TempDir
    static Path tmp;
    static HttpBackend dnsBackend;
    static HttpBackend rrBackend;
    static HttpBackend weV1;
    static HttpBackend weV2;
    static HttpBackend weElsewhere;
    static NamedSocketServers.Server tcpA;
    static NamedSocketServers.Server tcpB;
    static NamedSocketServers.Server tlsA;
    static NamedSocketServers.Server tlsB;
    static int dnsPort;
    static int rrPort;
    static int wePort;
    static int tcpPort;
    static int tlsPort;
    static EnvoySidecar sidecar;

    @BeforeAll
    static void start() {
        EnvoyBinary.require();
        dnsBackend = HttpBackend.start("dns");
        rrBackend = HttpBackend.start("rr");
        weV1 = HttpBackend.start("we-v1");
        weV2 = HttpBackend.start("we-v2");
        weElsewhere = HttpBackend.start("we-elsewhere");
        tcpA = NamedSocketServers.tcp("tcp-a");
        tcpB = NamedSocketServers.tcp("tcp-b");
        tlsA = NamedSocketServers.tls("tls-a");
        tlsB = NamedSocketServers.tls("tls-b");
        dnsPort = EnvoySidecar.freePort();
        rrPort = EnvoySidecar.freePort();
        wePort = EnvoySidecar.freePort();
        tcpPort = EnvoySidecar.freePort();
        tlsPort = EnvoySidecar.freePort();
        sidecar = EnvoySidecar.start(tmp, config(), false);
    }

    static String config() {
        return String.join("---\n", dns(), workloadEntries(), tcp(), tls());
    }

    /** {@code localhost} resolved by Envoy (DNS, the host itself), and a name resolved once (DNS_ROUND_ROBIN). */
    static String dns() {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: local-dns, namespace: demo}
                spec:
                  hosts: [localhost]
                  location: MESH_EXTERNAL
                  resolution: DNS
                  ports: [{number: %d, name: http, protocol: HTTP, targetPort: %d}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: local-rr, namespace: demo}
                spec:
                  hosts: [rr.test.example]
                  location: MESH_EXTERNAL
                  resolution: DNS_ROUND_ROBIN
                  ports: [{number: %d, name: http, protocol: HTTP}]
                  endpoints: [{address: localhost, ports: {http: %d}}]
                """.formatted(dnsPort, dnsBackend.port(), rrPort, rrBackend.port());
    }

    /** A workloadSelector ServiceEntry; a matching WorkloadEntry of another namespace must not serve it. */
    static String workloadEntries() {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: vm-web, namespace: demo}
                spec:
                  hosts: [vm-web.demo.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  workloadSelector: {labels: {app: vm-web}}
                  ports: [{number: %d, name: http, protocol: HTTP}]
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: vm-web-1, namespace: demo}
                spec: {address: 127.0.0.1, ports: {http: %d}, labels: {app: vm-web, version: v1}}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: vm-web-2, namespace: demo}
                spec: {address: 127.0.0.1, ports: {http: %d}, labels: {app: vm-web, version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: vm-web-9, namespace: elsewhere}
                spec: {address: 127.0.0.1, ports: {http: %d}, labels: {app: vm-web, version: v1}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: vm-web, namespace: demo}
                spec:
                  host: vm-web
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: vm-web, namespace: demo}
                spec:
                  hosts: [vm-web]
                  http:
                  - match: [{uri: {prefix: /v2}}]
                    route: [{destination: {host: vm-web, subset: v2}}]
                  - route: [{destination: {host: vm-web, subset: v1}}]
                """.formatted(wePort, weV1.port(), weV2.port(), weElsewhere.port());
    }

    /** A TCP service with a VIP, split 75/25 by a tcp[] route after one that does not select this proxy. */
    static String tcp() {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: db, namespace: demo}
                spec:
                  hosts: [db.demo.svc.cluster.local]
                  addresses: [%s]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: %d, name: tcp, protocol: TCP}]
                  endpoints:
                  - {address: 127.0.0.1, ports: {tcp: %d}, labels: {version: a}}
                  - {address: 127.0.0.1, ports: {tcp: %d}, labels: {version: b}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: db, namespace: demo}
                spec:
                  host: db
                  subsets:
                  - {name: a, labels: {version: a}}
                  - {name: b, labels: {version: b}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: db, namespace: demo}
                spec:
                  hosts: [db]
                  tcp:
                  - match: [{sourceLabels: {app: someone-else}}]
                    route: [{destination: {host: db, subset: b}}]
                  - route:
                    - {destination: {host: db, subset: a}, weight: 75}
                    - {destination: {host: db, subset: b}, weight: 25}
                """.formatted(VIP, tcpPort, tcpA.port(), tcpB.port());
    }

    /** Two TLS hosts on one port (no VIP), routed by SNI to two TLS backends; TLS is not terminated. */
    static String tls() {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: tls-front, namespace: demo}
                spec:
                  hosts: [a.tls.test]
                  location: MESH_EXTERNAL
                  resolution: NONE
                  ports: [{number: %1$d, name: tls, protocol: TLS}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: tls-front-b, namespace: demo}
                spec:
                  hosts: [b.tls.test]
                  location: MESH_EXTERNAL
                  resolution: NONE
                  ports: [{number: %1$d, name: tls, protocol: TLS}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: tls-backends, namespace: demo}
                spec:
                  hosts: [tls-backends.demo.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: %2$d, name: tls, protocol: TLS}]
                  endpoints:
                  - {address: 127.0.0.1, ports: {tls: %3$d}, labels: {backend: a}}
                  - {address: 127.0.0.1, ports: {tls: %4$d}, labels: {backend: b}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: tls-backends, namespace: demo}
                spec:
                  host: tls-backends
                  subsets:
                  - {name: a, labels: {backend: a}}
                  - {name: b, labels: {backend: b}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: tls-front, namespace: demo}
                spec:
                  hosts: [a.tls.test, b.tls.test]
                  tls:
                  - match: [{sniHosts: [a.tls.test], port: %1$d}]
                    route: [{destination: {host: tls-backends, subset: a, port: {number: %2$d}}}]
                  - match: [{sniHosts: [b.tls.test]}]
                    route: [{destination: {host: tls-backends, subset: b, port: {number: %2$d}}}]
                """.formatted(tlsPort, EnvoySidecar.freePort(), tlsA.port(), tlsB.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (sidecar != null) {
            sidecar.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {dnsBackend, rrBackend, weV1, weV2, weElsewhere, tcpA, tcpB,
                tlsA, tlsB}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @BeforeEach
    void reset() {
        List.of(dnsBackend, rrBackend, weV1, weV2, weElsewhere).forEach(HttpBackend::reset);
        List.of(tcpA, tcpB, tlsA, tlsB).forEach(NamedSocketServers.Server::reset);
    }

    @Test
    void envoyResolvesTheServiceEntryHostAndTheRoundRobinEndpointByDns() {
        assertThat(new HttpCalls(dnsPort).get("localhost", "/").backend()).isEqualTo("dns");
        assertThat(new HttpCalls(rrPort).get("rr.test.example", "/").backend()).isEqualTo("rr");
        // Envoy's DNS cluster extension: every address (STRICT_DNS), or one endpoint (LOGICAL_DNS behaviour).
        assertThat(sidecar.envoy().configDump().findValues("cluster").stream()
                .filter(c -> c.path("name").asText().endsWith("|localhost") || c.path("name").asText()
                        .endsWith("|rr.test.example"))
                .map(c -> c.path("name").asText() + " " + c.at("/cluster_type/name").asText() + " "
                        + c.at("/cluster_type/typed_config/all_addresses_in_single_endpoint").asBoolean())
                .toList())
                .containsExactlyInAnyOrder("outbound|" + dnsPort + "||localhost envoy.cluster.dns false",
                        "outbound|" + rrPort + "||rr.test.example envoy.cluster.dns true");
        assertThat(sidecar.envoy().stat("runtime.deprecated_feature_use")).isZero();
        assertNothingRejected();
    }

    @Test
    void workloadEntriesOfTheNamespaceServeTheSelectorsServiceBySubset() {
        HttpCalls calls = new HttpCalls(wePort);
        for (int i = 0; i < 5; i++) {
            assertThat(calls.get("vm-web", "/v2/x").backend()).isEqualTo("we-v2");
            assertThat(calls.get("vm-web.demo.svc.cluster.local", "/page").backend()).isEqualTo("we-v1");
        }
        assertThat(weElsewhere.count()).isZero();
        assertNothingRejected();
    }

    @Test
    void aWeightedTcpRouteSplitsConnections() {
        assertThat(sidecar.names("ListenersConfigDump", "dynamic_listeners", "/name"))
                .contains("127.0.0.1_" + tcpPort).doesNotContain(VIP + "_" + tcpPort);
        int a = 0;
        int b = 0;
        for (int i = 0; i < CONNECTIONS; i++) {
            String name = NamedSocketServers.readName("127.0.0.1", tcpPort);
            if ("tcp-a".equals(name)) {
                a++;
            } else if ("tcp-b".equals(name)) {
                b++;
            }
        }
        System.out.printf("tcp[] 75/25 over %d connections: a=%d b=%d%n", CONNECTIONS, a, b);
        // Every connection reached a backend; 75 % of 200 is 150 with a standard deviation of 6.1, so [120, 180]
        // fails a correct split about once in a million runs and a 50/50 split (100) always.
        assertThat(a + b).isEqualTo(CONNECTIONS);
        assertThat(a).isBetween(120, 180);
        assertThat(b).isEqualTo(CONNECTIONS - a).isPositive();
        assertNothingRejected();
    }

    @Test
    void tlsRoutesPickTheBackendBySniWithoutTerminatingTls() {
        List<java.security.cert.X509Certificate> trusted = List.of(tlsA.certificate, tlsB.certificate);
        NamedSocketServers.TlsAnswer toA = NamedSocketServers.tlsCall(tlsPort, "a.tls.test", trusted);
        NamedSocketServers.TlsAnswer toB = NamedSocketServers.tlsCall(tlsPort, "b.tls.test", trusted);
        NamedSocketServers.TlsAnswer unknown = NamedSocketServers.tlsCall(tlsPort, "c.tls.test", trusted);

        // The backend's own certificate came back: Envoy passed the TLS through.
        assertThat(toA).isEqualTo(new NamedSocketServers.TlsAnswer("CN=tls-a", "tls-a", ""));
        assertThat(toB).isEqualTo(new NamedSocketServers.TlsAnswer("CN=tls-b", "tls-b", ""));
        // No filter chain takes another SNI: Envoy closes the connection, nothing is answered.
        assertThat(unknown.line()).isNull();
        assertThat(unknown.error()).isNotEmpty();
        assertThat(tlsA.count()).isEqualTo(1);
        assertThat(tlsB.count()).isEqualTo(1);
        assertNothingRejected();
    }

    private static void assertNothingRejected() {
        assertThat(sidecar.envoy().stat("listener_manager.lds.update_rejected")).isEqualTo(0);
        assertThat(sidecar.envoy().stat("cluster_manager.cds.update_rejected")).isEqualTo(0);
        assertThat(sidecar.nacks()).isEqualTo(0);
    }
}
