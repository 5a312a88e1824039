package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.security.cert.X509Certificate;
import java.util.Map;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.event.EventCodec;
import meshlog.configstore.kafka.KafkaEventLog;
import meshlog.configstore.kafka.LoggedEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path as a user meets it: commits to a real git repository reach grpc-java xDS clients in two clusters
 * through a real Kafka broker, the CA and four distributors, all started as {@code meshlog up} starts them. The
 * methods are one story in order (one control plane, restarted at the end), so each step builds on the previous.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndTest {

    /** 500 calls at p = 0.8: the standard deviation of the v1 share is 1.8 points; ±8 points is > 4 sigma. */
    static final int CALLS = 500;
    static final double TOLERANCE = 0.08;

    @TempDir
    static Path tmp;
    static EchoBackends backends;
    static MeshRepo repo;
    static MeshlogNode node;
    static String firstCommit;
    static String goodCommit;
    static String lastCommit;
    static String badCommit;

    @BeforeAll
    static void startEverything() throws Exception {
        backends = EchoBackends.start("v1", "v2");
        repo = new MeshRepo(tmp.resolve("mesh"), backends.port("v1"), backends.port("v2"));
        firstCommit = repo.commit("echo-routing.yaml", MeshRepo.split(80, 20), "echo: canary 80/20");
        node = MeshlogNode.start(options());
    }

    static UpOptions options() {
        return new UpOptions(repo.dir(), null, List.of("east", "west"), 2, 0, 0, tmp.resolve("data"), null,
                Duration.ofMillis(100), "127.0.0.1");
    }

    @AfterAll
    static void stopEverything() {
        if (node != null) {
            node.close();
        }
        backends.close();
        repo.close();
    }

    static String distributor(String name) {
        return node.replicas().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow()
                .server().address();
    }

    static ProxylessClient client(String distributor, String cluster) {
        ProxylessClient c = new ProxylessClient(distributor(distributor), cluster, MeshRepo.TARGET);
        // First call through xDS in a fresh JVM takes ~1-2 s (class loading, LDS→RDS→CDS→EDS).
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> EchoBackends.who(c.channel) != null);
        return c;
    }

    @Test
    @Order(1)
    void aCommitted8020SplitReachesAnEastClient() throws Exception {
        try (ProxylessClient east = client("east-0", "east")) {
            Map<String, Integer> spread = east.spread(CALLS);
            assertThat(spread.getOrDefault("v1", 0) / (double) CALLS).isBetween(0.8 - TOLERANCE, 0.8 + TOLERANCE);
            assertThat(spread.getOrDefault("v1", 0) + spread.getOrDefault("v2", 0)).isEqualTo(CALLS);
        }
    }

    @Test
    @Order(2)
    void aSecondCommitMovesTheRunningClientWithoutARestart() throws Exception {
        try (ProxylessClient east = client("east-1", "east")) {
            goodCommit = repo.commit("echo-routing.yaml", MeshRepo.split(0, 100), "echo: all traffic to v2");
            await().atMost(Duration.ofSeconds(20)).until(() -> east.spread(20).equals(Map.of("v2", 20)));
            assertThat(east.spread(200)).isEqualTo(Map.of("v2", 200));
        }
    }

    @Test
    @Order(3)
    void anInvalidCommitIsRejectedWithItsDiagnosticAndRoutingStays() throws Exception {
        try (ProxylessClient east = client("east-0", "east")) {
            badCommit = repo.commit("echo-routing.yaml", MeshRepo.split(-5, 100), "echo: oops");
            await().atMost(Duration.ofSeconds(20)).until(() -> node.reconciler().state().lastRejected() != null);

            CommitRejected rejected = node.reconciler().state().lastRejected();
            assertThat(rejected.info().sha()).isEqualTo(badCommit);
            assertThat(rejected.diagnostics()).extracting(d -> d.format()).contains(
                    "echo-routing.yaml:9:7: error [VS0101] VirtualService demo/echo spec.http[0].route[0].weight: "
                            + "must be >= 0, got -5");
            List<LoggedEvent> log = KafkaEventLog.readAll(node.bootstrap(), MeshlogNode.REPO_ID);
            assertThat(log.get(log.size() - 1).event()).isEqualTo(rejected);
            assertThat(node.reconciler().state().lastApplied().sha()).isEqualTo(goodCommit);
            assertThat(east.spread(200)).isEqualTo(Map.of("v2", 200));
        }
    }

    @Test
    @Order(4)
    void aWestClientGetsTheSameRoutingFromAWestDistributor() throws Exception {
        try (ProxylessClient west = client("west-1", "west")) {
            assertThat(west.spread(100)).isEqualTo(Map.of("v2", 100));
        }
    }

    @Test
    @Order(5)
    void aClientClaimingWestIsRefusedByAnEastDistributor() throws Exception {
        try (ProxylessClient impostor = new ProxylessClient(distributor("east-0"), "west", MeshRepo.TARGET)) {
            assertThatThrownBy(() -> EchoBackends.who(impostor.channel))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(e.getStatus().getDescription()).contains("east", "west");
                    });
        }
    }

    @Test
    @Order(6)
    void theAdminApiShowsCommitsSnapshotsAndProxyAcks() throws Exception {
        try (ProxylessClient east = client("east-0", "east")) {
            assertThat(east.spread(10)).isEqualTo(Map.of("v2", 10)); // a connected, in-sync proxy to report
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + node.adminPort();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("{\"ready\":true,\"problems\":{}}");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String status = http.send(HttpRequest.newBuilder(URI.create(base + "/api/status")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(status).contains(goodCommit, badCommit, "VS0101", distributor("west-1"),
                        node.reconciler().published().get("east").version());
                assertThat(EventCodec.json().readTree(status).at("/clusters/0/distributors/0/proxies/SYNCED")
                        .asInt()).isEqualTo(1);
                var proxies = EventCodec.json().readTree(http.send(HttpRequest.newBuilder(
                        URI.create(base + "/api/proxies?cluster=east")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                assertThat(proxies.path("total").asInt()).isEqualTo(1);
                var proxy = proxies.at("/items/0");
                assertThat(proxy.path("proxyId").asText()).startsWith("sidecar~127.0.0.1~client-");
                assertThat(proxy.path("state").asText()).isEqualTo("SYNCED");
            });
        }
    }

    @Test
    @Order(10)
    void thePlaintextPortServesNoSecretAndAClaimOfAnotherIdentityOverMtlsIsRefused() throws Exception {
        assertThat(RawSds.fetch(io.grpc.Grpc.newChannelBuilder(distributor("west-0"),
                io.grpc.InsecureChannelCredentials.create()).build(), "west", "demo", "client", Duration.ofSeconds(3)))
                .as("plaintext: no secret").isEmpty();
        var refused = org.assertj.core.api.Assertions.catchThrowable(() -> RawSds.fetch(
                mtlsTo("west-0", "demo", "client"), "west", "demo", "admin", Duration.ofSeconds(20)));
        assertThat(io.grpc.Status.fromThrowable(refused).getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
        assertThat(io.grpc.Status.fromThrowable(refused).getDescription()).contains(
                "spiffe://cluster.local/ns/demo/sa/client", "claims namespace 'demo' and service account 'admin'");
    }

    @Test
    @Order(10)
    void aProxylessClientThroughMeshlogAgentWithAJoinTokenIsRoutedOverMtls() throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        assertThat(Main.run(List.of("token", "create", "--namespace", "demo", "--service-account", "client",
                "--data-dir", tmp.resolve("data").toString()), new java.io.PrintStream(out, true,
                java.nio.charset.StandardCharsets.UTF_8), System.err)).isZero();
        Path token = java.nio.file.Files.writeString(tmp.resolve("agent.token"), out.toString().strip());
        int tlsPort = node.replicas().stream().filter(r -> r.name().equals("west-0")).findFirst().orElseThrow()
                .server().tlsPort();
        var options = AgentCommand.parse(List.of("--xds", "127.0.0.1:" + tlsPort, "--ca", "127.0.0.1:"
                + node.caPort(), "--root-cert", tmp.resolve("data/ca/root-cert.pem").toString(), "--join-token-file",
                token.toString(), "--cluster", "west", "--socket", tmp.resolve("agent.sock").toString(),
                "--grpc-output", tmp.resolve("agent-grpc").toString()));
        try (meshlog.agent.Agent agent = meshlog.agent.Agent.start(options, java.time.Clock.systemUTC())) {
            assertThat(agent.current().spiffeId()).isEqualTo("spiffe://cluster.local/ns/demo/sa/client");
            agentSdsServesACertificateOfTheClusterCaChainingToTheRootOnDisk(io.grpc.Grpc.newChannelBuilder("unix:"
                    + tmp.resolve("agent.sock"), io.grpc.InsecureChannelCredentials.create()).build());
            @SuppressWarnings("unchecked")
            Map<String, ?> bootstrap = EventCodec.json().readValue(tmp.resolve("agent-grpc/bootstrap.json")
                    .toFile(), Map.class);
            try (ProxylessClient c = new ProxylessClient(bootstrap, MeshRepo.TARGET)) {
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> EchoBackends.who(c.channel) != null);
                Map<String, Integer> spread = c.spread(CALLS);
                assertThat(spread.getOrDefault("v1", 0) + spread.getOrDefault("v2", 0)).isEqualTo(CALLS);
                for (String api : List.of("/api/status", "/api/proxies?cluster=west")) {
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(HttpClient.newHttpClient()
                            .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + api))
                                    .build(), HttpResponse.BodyHandlers.ofString()).body())
                            .contains(api.startsWith("/api/proxies")
                                    ? "sidecar~127.0.0.1~meshlog-agent.demo~demo.svc.cluster.local" : "\"west\"")
                            .doesNotContain("PRIVATE KEY"));
                }
            }
        }
    }

    /** SDS on the agent's socket: its key (made there) and a chain leaf, west intermediate, root on disk. */
    private static void agentSdsServesACertificateOfTheClusterCaChainingToTheRootOnDisk(io.grpc.ManagedChannel sds)
            throws Exception {
        List<Secret> secrets = RawSds.fetch(sds, "west", "demo", "client", Duration.ofSeconds(20));

        Secret workload = secrets.stream().filter(s -> s.getName().equals("default")).findFirst().orElseThrow();
        Secret roots = secrets.stream().filter(s -> s.getName().equals("ROOTCA")).findFirst().orElseThrow();
        List<X509Certificate> chain = RawSds.certificates(
                workload.getTlsCertificate().getCertificateChain().getInlineBytes().toStringUtf8());
        X509Certificate root = RawSds.certificates(java.nio.file.Files.readString(
                tmp.resolve("data/ca/root-cert.pem"))).get(0);
        assertThat(RawSds.certificates(roots.getValidationContext().getTrustedCa().getInlineBytes().toStringUtf8()))
                .containsExactly(root);
        assertThat(chain.get(0).getSubjectAlternativeNames().stream().map(san -> (Object) san.get(1)).toList())
                .containsExactly((Object) "spiffe://cluster.local/ns/demo/sa/client");
        RawSds.validate(chain, root); // throws unless leaf -> west intermediate -> root verifies
        assertThat(chain.get(1).getSubjectX500Principal().getName()).contains("west");
        assertThat(workload.getTlsCertificate().getPrivateKey().getInlineBytes().toStringUtf8())
                .startsWith("-----BEGIN PRIVATE KEY-----");
    }

    /** A channel to a replica's mTLS port with a client certificate for {@code namespace}/{@code serviceAccount}. */
    static io.grpc.ManagedChannel mtlsTo(String replica, String namespace, String serviceAccount) throws Exception {
        var ca = meshlog.ca.CertificateAuthority.open(tmp.resolve("data/ca"), "cluster.local",
                java.time.Clock.systemUTC());
        int port = node.replicas().stream().filter(r -> r.name().equals(replica)).findFirst().orElseThrow()
                .server().tlsPort();
        String cluster = replica.substring(0, replica.indexOf('-'));
        return RawSds.mtls("127.0.0.1", port, ca.issue(cluster, namespace, serviceAccount), ca.trustBundlePem());
    }

    @Test
    @Order(11)
    void noPrivateKeyIsInAnyTopicAndProxyAcksAreInTheStatusTopic() throws Exception {
        for (String topic : meshlog.configstore.kafka.Topics.ALL) {
            meshlog.configstore.kafka.TopicReader.readToEnd(node.bootstrap(), topic, "e2e-scan", Duration.ofSeconds(20),
                    r -> assertThat(r.value() == null ? "" : new String(r.value(),
                            java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("PRIVATE KEY"));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                meshlog.configstore.status.ProxyStatusReader.readLatest(node.bootstrap(), Duration.ofSeconds(10)))
                .anySatisfy(p -> {
                    assertThat(p.cluster()).isEqualTo("east");
                    assertThat(p.proxyId()).startsWith("sidecar~127.0.0.1~client-");
                    assertThat(p.types()).isNotEmpty().allSatisfy((type, st) ->
                            assertThat(st.ackedVersion()).isNotBlank());
                }));
    }

    @Test
    @Order(20)
    void aRestartRecoversFromTheLogWithoutReapplyingOldCommits() throws Exception {
        int eventsBefore = KafkaEventLog.readAll(node.bootstrap(), MeshlogNode.REPO_ID).size();
        String versionBefore = node.reconciler().published().get("east").version();
        node.close();
        node = MeshlogNode.start(options());

        await().atMost(Duration.ofSeconds(30)).until(() -> node.reconciler().ready());
        assertThat(KafkaEventLog.readAll(node.bootstrap(), MeshlogNode.REPO_ID)).hasSize(eventsBefore);
        assertThat(node.reconciler().state().lastApplied().sha()).isEqualTo(goodCommit);
        assertThat(node.reconciler().state().lastRejected().info().sha()).isEqualTo(badCommit);
        assertThat(node.gitSync().lastProcessed()).isEqualTo(badCommit);
        try (ProxylessClient east = client("east-1", "east")) {
            assertThat(east.spread(100)).isEqualTo(Map.of("v2", 100));
            assertThat(node.reconciler().published().get("east").version()).isEqualTo(versionBefore);
            String next = lastCommit = repo.commit("echo-routing.yaml", MeshRepo.split(50, 50), "echo: half and half");
            await().atMost(Duration.ofSeconds(20)).until(() -> east.spread(40).size() == 2);
            assertThat(KafkaEventLog.readAll(node.bootstrap(), MeshlogNode.REPO_ID))
                    .filteredOn(e -> e.event().commit().equals(next)).hasSize(2);
        }
    }

    @Test
    @Order(21)
    void auditPrintsWhoChangedWhatAndWhyACommitWasRejected() {
        var out = new java.io.ByteArrayOutputStream();
        int code = Main.run(List.of("audit", "--kafka", node.bootstrap()), new java.io.PrintStream(out, true),
                System.err);

        assertThat(code).isZero();
        String audit = out.toString();
        assertThat(audit).containsSubsequence(
                "applied   " + firstCommit.substring(0, 8) + "  Alice <alice@example.com>  \"echo: canary 80/20\"",
                "    + DestinationRule demo/echo  (echo-service.yaml:13)",
                "    + ServiceEntry demo/echo  (echo-service.yaml:1)",
                "    + VirtualService demo/echo  (echo-routing.yaml:1)",
                "applied   " + goodCommit.substring(0, 8) + "  Alice <alice@example.com>  \"echo: all traffic to v2\"",
                "    ~ VirtualService demo/echo",
                "rejected  " + badCommit.substring(0, 8) + "  Alice <alice@example.com>  \"echo: oops\"",
                "    echo-routing.yaml:9:7: error [VS0101] VirtualService demo/echo spec.http[0].route[0].weight",
                "applied   " + lastCommit.substring(0, 8),
                "3 commits applied, 1 rejected");
    }
}
