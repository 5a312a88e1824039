package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import meshlog.configstore.scope.ProxyScope;
import meshlog.testkit.EnvoyBinary;
import meshlog.testkit.EnvoyProcess;
import meshlog.testkit.HttpBackend;
import meshlog.xds.XdsDistributor;
import meshlog.xdscheck.TypeUrls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real Envoy 1.40 sidecars on one distributor, each with the certificate of its own identity over SDS
 * ({@code default}, {@code ROOTCA} on the ADS stream): a client ({@code app=client}, service account
 * {@code client}) calls service {@code server.demo} through its outbound listener; the server's sidecar
 * ({@code app=server}, service account {@code server}) terminates on its Sidecar ingress port and forwards to an
 * HTTP backend, which sees the {@code x-forwarded-client-cert} header Istio's inbound side sets. A plain-text
 * client calls the server's port directly. Each case serves a PeerAuthentication, the server endpoint's
 * {@code tlsMode} label and maybe a DestinationRule, and checks what each caller got.
 */
class EnvoyMutualTlsTest {

    static final ProxyScope SERVER = ProxyScope.sidecar("demo", Map.of("app", "server"),
            ProxyScope.Interception.NONE);
    static final ProxyScope CLIENT = EnvoySidecar.SCOPE;
    static final String CLIENT_ID = "spiffe://cluster.local/ns/demo/sa/client";
    static final String HOST = "server.demo.svc.cluster.local";
    /** What {@link HttpCalls} says of a connection Envoy reset unanswered (it closed with the request unread). */
    static final String RESET = "java.net.SocketException: Connection reset";

    @TempDir
    static Path tmp;
    static SidecarFleet fleet;
    static XdsDistributor distributor;
    static HttpBackend backend;
    static int servicePort;
    static int inboundPort;
    static EnvoyProcess server;

    @BeforeAll
    static void start() {
        EnvoyBinary.require();
        backend = HttpBackend.start("server-app");
        servicePort = EnvoySidecar.freePort();
        inboundPort = EnvoySidecar.freePort();
        fleet = new SidecarFleet(tmp);
        distributor = fleet.distributor();
        distributor.accept(EnvoySidecar.snapshot(config("STRICT", true, ""), SERVER));
        distributor.accept(EnvoySidecar.snapshot(config("STRICT", true, ""), CLIENT));
        server = fleet.envoy("server-1", SERVER.labels(), "server", false, distributor);
        EnvoyProcess client = fleet.envoy("client-1", CLIENT.labels(), "client", false, distributor);
        assertThat(server).isNotNull();
        assertThat(client).isNotNull();
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void strictTakesMutualTlsFromTheClientSidecarAndRefusesPlainText() {
        serve(config("STRICT", true, ""));
        HttpCalls.Answer viaSidecar = awaitAnswer(200);
        assertThat(viaSidecar.backend()).isEqualTo("server-app");
        assertThat(lastXfcc()).contains("URI=" + CLIENT_ID)
                .contains("By=spiffe://cluster.local/ns/demo/sa/server");

        backend.reset();
        String noMatch = "listener.0.0.0.0_" + inboundPort + ".no_filter_chain_match";
        long before = server.stat(noMatch);
        HttpCalls.Answer plain = new HttpCalls(inboundPort).get(HOST, "/plain");
        assertThat(plain.status()).isEqualTo(-1);
        assertThat(plain.headers()).containsEntry("error", RESET);
        assertThat(backend.count()).isZero();
        assertThat(server.stat(noMatch)).as("the server's Envoy found no chain for plain text").isEqualTo(before + 1);
    }

    @Test
    void permissiveTakesMutualTlsAndPlainTextOnOnePort() {
        serve(config("PERMISSIVE", true, ""));
        awaitAnswer(200);
        assertThat(lastXfcc()).contains("URI=" + CLIENT_ID);

        backend.reset();
        HttpCalls.Answer plain = new HttpCalls(inboundPort).get(HOST, "/plain");
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.backend()).isEqualTo("server-app");
        assertThat(backend.received()).singleElement()
                .satisfies(r -> assertThat(r.headers()).doesNotContainKey("x-forwarded-client-cert"));
    }

    @Test
    void disableServesPlainTextAndADestinationRuleDisableSendsIt() {
        serve(config("DISABLE", true, "  trafficPolicy: {tls: {mode: DISABLE}}\n"));
        awaitAnswer(200);
        assertThat(backend.received().get(backend.received().size() - 1).headers())
                .doesNotContainKey("x-forwarded-client-cert");
        HttpCalls.Answer plain = new HttpCalls(inboundPort).get(HOST, "/plain");
        assertThat(plain.status()).isEqualTo(200);
    }

    @Test
    void aNamespaceWideDisableTurnsAutoMtlsOffWithoutADestinationRule() {
        // A selector-less DISABLE in demo: the server takes plain text only, and the client, inferring it as Istio
        // does, sends plain text (mTLS would reach a plain-text chain and fail).
        serve(config("DISABLE", true, "").replace("  selector: {matchLabels: {app: server}}\n", ""));
        awaitAnswer(200);
        assertThat(backend.received().get(backend.received().size() - 1).headers())
                .doesNotContainKey("x-forwarded-client-cert");
    }

    @Test
    void autoMtlsSendsPlainTextToAnEndpointWithoutASidecarLabel() {
        // Without tlsMode: istio the client's auto mTLS picks plain text, which STRICT refuses: Envoy's 503.
        serve(config("STRICT", false, ""));
        HttpCalls.Answer refused = awaitAnswer(503);
        assertThat(refused.backend()).isEmpty();
    }

    @Test
    void destinationRuleIstioMutualSendsMutualTlsWhateverTheLabel() {
        serve(config("STRICT", false, "  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}\n"));
        awaitAnswer(200);
        assertThat(lastXfcc()).contains("URI=" + CLIENT_ID);
    }

    @Test
    void theServerIdentityIsCheckedAgainstTheSubjectAltNames() {
        // The client accepts only another identity than the server's certificate holds: the handshake fails.
        serve(config("STRICT", true, "  trafficPolicy:\n    tls:\n      mode: ISTIO_MUTUAL\n"
                + "      subjectAltNames: [spiffe://cluster.local/ns/demo/sa/other]\n"));
        HttpCalls.Answer refused = awaitAnswer(503);
        assertThat(refused.backend()).isEmpty();
        serve(config("STRICT", true, "  trafficPolicy:\n    tls:\n      mode: ISTIO_MUTUAL\n"
                + "      subjectAltNames: [spiffe://cluster.local/ns/demo/sa/server]\n"));
        awaitAnswer(200);
    }

    /** Serves {@code yaml} to both sidecars and waits until both have ACKed it. */
    static void serve(String yaml) {
        distributor.accept(EnvoySidecar.snapshot(yaml, SERVER));
        distributor.accept(EnvoySidecar.snapshot(yaml, CLIENT));
        // The server sees no service, so it subscribes to no route or assignment: its clusters and listeners.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Map<String, String> want = distributor.currentTypeVersions(SERVER.id());
            Map<String, String> acked = SidecarFleet.acked(distributor, "server-1");
            return List.of(TypeUrls.CLUSTER, TypeUrls.LISTENER).stream()
                    .allMatch(t -> want.get(t) != null && want.get(t).equals(acked.get(t)));
        });
        SidecarFleet.awaitInSync(distributor, "client-1", CLIENT, Duration.ofSeconds(30));
    }

    /**
     * Calls the server through the client's sidecar until the answer has {@code status} (certificates arrive over
     * SDS, and a listener or cluster warms until they have), at most 30 s; returns that answer.
     */
    static HttpCalls.Answer awaitAnswer(int status) {
        HttpCalls calls = new HttpCalls(servicePort);
        HttpCalls.Answer[] last = new HttpCalls.Answer[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            last[0] = calls.get(HOST, "/via-sidecar");
            assertThat(last[0].status()).as("%s", last[0]).isEqualTo(status);
        });
        return last[0];
    }

    /** The x-forwarded-client-cert header of the last request the backend received. */
    static String lastXfcc() {
        List<HttpBackend.Received> received = backend.received();
        assertThat(received).isNotEmpty();
        return received.get(received.size() - 1).headers().getOrDefault("x-forwarded-client-cert", "");
    }

    /**
     * The server's Sidecar (its ingress port to the backend, no egress so it binds no outbound listener), the
     * service with the server's endpoint, a PeerAuthentication for the server of {@code mode}, and a
     * DestinationRule for the service when {@code ruleSpec} is not empty.
     */
    static String config(String mode, boolean sidecarLabel, String ruleSpec) {
        String labels = sidecarLabel ? "{app: server, security.istio.io/tlsMode: istio}" : "{app: server}";
        String rule = ruleSpec.isEmpty() ? "" : """
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: server, namespace: demo}
                spec:
                  host: server
                """ + ruleSpec;
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: server, namespace: demo}
                spec:
                  hosts: [%s]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: %d, name: http, protocol: HTTP}]
                  endpoints:
                  - {address: 127.0.0.1, ports: {http: %d}, labels: %s, serviceAccount: server}
                ---
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: server, namespace: demo}
                spec:
                  workloadSelector: {labels: {app: server}}
                  ingress:
                  - port: {number: %d, name: http, protocol: HTTP}
                    defaultEndpoint: 127.0.0.1:%d
                  egress:
                  - hosts: [istio-system/*]
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: server, namespace: demo}
                spec:
                  selector: {matchLabels: {app: server}}
                  mtls: {mode: %s}
                """.formatted(HOST, servicePort, inboundPort, labels, inboundPort, backend.port(), mode) + rule;
    }
}
