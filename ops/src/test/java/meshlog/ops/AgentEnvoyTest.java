package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import meshlog.agent.Agent;
import meshlog.agent.AgentOptions;
import meshlog.agent.ControlPlane;
import meshlog.ca.WorkloadCertificate;
import meshlog.caserver.ServingTls;
import meshlog.configstore.scope.ProxyScope;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.testkit.EnvoyProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Envoy bootstrapped by {@code meshlog bootstrap --agent-socket} beside a real {@code meshlog agent}: xDS and
 * SDS over the agent's Unix socket, the agent's ADS to a real distributor over mTLS, its certificate from the real
 * CA. Envoy serves mTLS with the agent's certificate; no private key text reaches its config dump or log.
 */
class AgentEnvoyTest {

    private static final String NODE = "sidecar~127.0.0.1~web-1.ns1~ns1.svc.cluster.local";

    @TempDir
    Path dir;
    ControlPlane plane;
    int port;

    @BeforeEach
    void start() throws Exception {
        plane = new ControlPlane(dir);
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        plane.distributor.accept(mtlsListener("ns1", port));
    }

    @AfterEach
    void stop() {
        plane.close();
    }

    @Test
    void envoyServesMtlsWithTheAgentsCertificateAndItsConfigDumpHoldsNoKey() throws Exception {
        AgentOptions options = plane.agent("web", "ns1", "sa1", AgentOptions.DEFAULT_TTL, null);
        try (Agent agent = Agent.start(options, Clock.systemUTC());
             EnvoyProcess envoy = EnvoyProcess.start(bootstrap(options.socket(), NODE, "sa1"), dir.resolve("envoy"))) {
            WorkloadCertificate client = plane.issue("ns2", "client");
            String[] answer = awaitAnswer(client, envoy);

            assertThat(answer[0]).startsWith("HTTP/1.1 200").contains("hello over mTLS");
            X509Certificate served = ServingTls.certificates(agent.current().certificateChainPem())[0];
            assertThat(answer[1]).as("the certificate Envoy presented is the agent's")
                    .isEqualTo("spiffe://cluster.local/ns/ns1/sa/sa1 serial=" + served.getSerialNumber());

            String dump = envoy.admin("/config_dump?include_eds");
            assertThat(dump).contains("\"name\": \"default\"", "\"name\": \"ROOTCA\"");
            String keyBody = agent.current().privateKeyPem().replace("-----BEGIN PRIVATE KEY-----", "")
                    .replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
            for (String text : new String[] {dump, envoy.log()}) {
                assertThat(text).doesNotContain("PRIVATE KEY").doesNotContain(keyBody.substring(0, 40))
                        .doesNotContain(Base64.getEncoder().encodeToString(agent.current().privateKeyPem()
                                .getBytes(StandardCharsets.US_ASCII)).substring(0, 40));
            }
            assertThat(plane.distributor.proxies().toString()).doesNotContain("PRIVATE KEY");

            var refused = catchThrowable(() -> request(null));
            assertThat(refused).as("a client without a certificate is refused by Envoy").isNotNull();
        }
    }

    @Test
    void anEnvoyClaimingAnotherNamespaceThanItsAgentsCertificateIsRefusedNamingBoth() throws Exception {
        AgentOptions options = plane.agent("liar", "ns1", "sa1", AgentOptions.DEFAULT_TTL, null);
        try (Agent agent = Agent.start(options, Clock.systemUTC());
             EnvoyProcess envoy = EnvoyProcess.start(bootstrap(options.socket(),
                     "sidecar~127.0.0.1~web-1.ns9~ns9.svc.cluster.local", "sa1"), dir.resolve("envoy-liar"))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!envoy.log().contains("PERMISSION_DENIED") && !envoy.log().contains("claims namespace")
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(envoy.log()).contains("spiffe://cluster.local/ns/ns1/sa/sa1",
                    "claims namespace 'ns9' and service account 'sa1'");
        }
    }

    /** What {@code meshlog bootstrap --agent-socket} prints, the command itself run. */
    static String bootstrap(Path socket, String nodeId, String serviceAccount) {
        var out = new java.io.ByteArrayOutputStream();
        int code = Main.run(java.util.List.of("bootstrap", "--agent-socket", socket.toString(), "--cluster",
                ControlPlane.CLUSTER, "--node-id", nodeId, "--service-account", serviceAccount, "--interception",
                "NONE", "--admin-port", "0"), new java.io.PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(code).isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("\"sds-grpc\"", "\"pipe\"", socket.toAbsolutePath().toString());
        return text;
    }

    /** Retries until Envoy has its listener and secrets (bounded), then the answer and the server's identity. */
    private String[] awaitAnswer(WorkloadCertificate client, EnvoyProcess envoy) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                return request(client);
            } catch (Exception e) {
                last = e;
                Thread.sleep(250);
            }
        }
        throw new AssertionError("Envoy never answered over mTLS on " + port + "; its log:\n" + envoy.log(), last);
    }

    /** One HTTP/1.1 GET over TLS presenting {@code client} (or no certificate): the response and the peer. */
    private String[] request(WorkloadCertificate client) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        KeyManagerFactory keys = null;
        if (client != null) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                    Base64.getMimeDecoder().decode(client.privateKeyPem().replace("-----BEGIN PRIVATE KEY-----", "")
                            .replace("-----END PRIVATE KEY-----", "")))), new char[0],
                    ServingTls.certificates(client.certificateChainPem()));
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, new char[0]);
        }
        KeyStore roots = KeyStore.getInstance("PKCS12");
        roots.load(null, null);
        roots.setCertificateEntry("root", ServingTls.certificates(plane.ca.trustBundlePem())[0]);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(roots);
        tls.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            if (response.isEmpty()) {
                throw new java.io.IOException("closed without an answer");
            }
            X509Certificate peer = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            return new String[] {response, peer.getSubjectAlternativeNames().iterator().next().get(1) + " serial="
                    + peer.getSerialNumber()};
        }
    }

    /** The sidecar scope of {@code namespace}: one listener requiring mTLS with SDS default/ROOTCA, answering 200. */
    static ScopeSnapshot mtlsListener(String namespace, int port) {
        ConfigSource ads = ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3).build();
        DownstreamTlsContext tls = DownstreamTlsContext.newBuilder()
                .setRequireClientCertificate(com.google.protobuf.BoolValue.of(true))
                .setCommonTlsContext(CommonTlsContext.newBuilder()
                        .addTlsCertificateSdsSecretConfigs(SdsSecretConfig.newBuilder().setName("default")
                                .setSdsConfig(ads))
                        .setValidationContextSdsSecretConfig(SdsSecretConfig.newBuilder().setName("ROOTCA")
                                .setSdsConfig(ads)))
                .build();
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder().setStatPrefix("mtls_in")
                .setRouteConfig(RouteConfiguration.newBuilder().setName("mtls_in").addVirtualHosts(
                        VirtualHost.newBuilder().setName("all").addDomains("*").addRoutes(Route.newBuilder()
                                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                .setDirectResponse(DirectResponseAction.newBuilder().setStatus(200)
                                        .setBody(DataSource.newBuilder().setInlineString("hello over mTLS"))))))
                .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
                        .setTypedConfig(Any.pack(Router.getDefaultInstance())))
                .build();
        Listener listener = Listener.newBuilder().setName("mtls_in")
                .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                        .setAddress("127.0.0.1").setPortValue(port)))
                .addFilterChains(FilterChain.newBuilder()
                        .setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.tls")
                                .setTypedConfig(Any.pack(tls)))
                        .addFilters(Filter.newBuilder().setName("envoy.filters.network.http_connection_manager")
                                .setTypedConfig(Any.pack(hcm))))
                .build();
        Cluster unused = Cluster.newBuilder().setName("BlackHoleCluster").setType(Cluster.DiscoveryType.STATIC)
                .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(1)).build();
        Map<String, Map<String, byte[]>> resources = new TreeMap<>();
        resources.put("type.googleapis.com/envoy.config.listener.v3.Listener", Map.of("mtls_in",
                listener.toByteArray()));
        resources.put("type.googleapis.com/envoy.config.cluster.v3.Cluster", Map.of("BlackHoleCluster",
                unused.toByteArray()));
        String scope = ProxyScope.sidecar(namespace, Map.of(), ProxyScope.Interception.NONE).id();
        String version = ScopeSnapshot.versionOf(resources);
        return new ScopeSnapshot(ControlPlane.CLUSTER, scope, version, "commit-" + version, resources);
    }
}
