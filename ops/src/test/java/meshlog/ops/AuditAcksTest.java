package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshlog.configstore.status.SnapshotAck;
import meshlog.configstore.status.SnapshotAckReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-commit ACK and NACK counts as a user reads them from {@code meshlog audit}: a running {@code meshlog up} (real
 * broker, real git, two distributors of cluster east) and three real grpc-java xDS clients, two on one replica and
 * one on the other. A commit moving all traffic is ACKed by all three; a DestinationRule Istio accepts but gRPC
 * refuses (a ring of 10,000,000 entries, over gRPC's and Envoy's 8M bound) is NACKed by all three, with gRPC's error.
 */
class AuditAcksTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path tmp;
    static EchoBackends backends;
    static MeshRepo repo;
    static MeshlogNode node;
    static List<ProxylessClient> clients = new ArrayList<>();
    static String c1;
    static String c2;
    static String c3;
    static Instant beforeC2;

    @BeforeAll
    static void start() throws Exception {
        backends = EchoBackends.start("v1", "v2");
        repo = new MeshRepo(tmp.resolve("mesh"), backends.port("v1"), backends.port("v2"));
        c1 = repo.commit("echo-routing.yaml", MeshRepo.split(80, 20), "echo: canary 80/20");
        node = MeshlogNode.start(new UpOptions(repo.dir(), null, List.of("east"), 2, 0, 0, tmp.resolve("data"),
                null, Duration.ofMillis(100), "127.0.0.1"));
        TimeMachineTest.awaitPublished(node, c1);
        for (String replica : List.of("east-0", "east-0", "east-1")) {
            String address = node.replicas().stream().filter(r -> r.name().equals(replica)).findFirst()
                    .orElseThrow().server().address();
            ProxylessClient client = new ProxylessClient(address, "east", MeshRepo.TARGET);
            clients.add(client);
            await().atMost(WAIT).ignoreExceptions().until(() -> client.spread(10).getOrDefault("v1", 0) > 0);
        }
        // Every client has ACKed c1 (the record is written when the last type is ACKed).
        await().atMost(WAIT).until(() -> acks(c1, SnapshotAck.ACK) == 3);
        beforeC2 = Instant.now();
        c2 = repo.commit("echo-routing.yaml", MeshRepo.split(0, 100), "echo: all traffic to v2");
        for (ProxylessClient client : clients) {
            await().atMost(WAIT).ignoreExceptions().until(() -> client.spread(20).equals(Map.of("v2", 20)));
        }
        await().atMost(WAIT).until(() -> acks(c2, SnapshotAck.ACK) == 3);
        c3 = repo.commit("echo-service.yaml", MeshRepo.service(backends.port("v1"), backends.port("v2"))
                + """
                  trafficPolicy:
                    loadBalancer:
                      consistentHash:
                        httpHeaderName: x-user
                        ringHash: {minimumRingSize: 10000000}
                """, "echo: a ring too large for gRPC");
        await().atMost(WAIT).until(() -> acks(c3, SnapshotAck.NACK) == 3);
    }

    static long acks(String commit, String outcome) {
        return SnapshotAckReader.readAll(node.bootstrap(), new ArrayList<>()).stream()
                .filter(a -> commit.equals(a.commit()) && a.outcome().equals(outcome)).count();
    }

    @AfterAll
    static void stop() {
        clients.forEach(ProxylessClient::close);
        if (node != null) {
            node.close();
        }
        backends.close();
        repo.close();
    }

    static JsonNode commit(JsonNode audit, String sha) {
        for (JsonNode c : audit.get("commits")) {
            if (c.get("sha").asText().equals(sha)) {
                return c;
            }
        }
        throw new AssertionError("no commit " + sha + " in " + audit);
    }

    @Test
    void auditCountsEachCommitsAcksAndNacksPerClusterWithTheLatencyOfProxiesThatWerePushedIt() throws Exception {
        TimeMachineTest.Run run = TimeMachineTest.meshlog("audit", "--kafka", node.bootstrap(), "-o", "json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode audit = run.json();

        JsonNode first = commit(audit, c1).get("clusters");
        assertThat(first).hasSize(1);
        assertThat(first.get(0).get("cluster").asText()).isEqualTo("east");
        assertThat(first.get(0).get("proxiesAcked").asInt()).isEqualTo(3);
        assertThat(first.get(0).get("proxiesMeasured").asInt()).as("all three connected after c1 was published")
                .isZero();
        assertThat(first.get(0).get("commitToAckMs").isNull()).isTrue();

        JsonNode second = commit(audit, c2).get("clusters").get(0);
        assertThat(second.get("snapshots")).extracting(s -> s.get("scope").asText()).containsExactly("grpc");
        assertThat(second.get("snapshots").get(0).get("acked").asInt()).isEqualTo(3);
        assertThat(second.get("proxiesAcked").asInt()).isEqualTo(3);
        assertThat(second.get("proxiesNacked").asInt()).isZero();
        assertThat(second.get("proxiesMeasured").asInt()).isEqualTo(3);
        JsonNode latency = second.get("commitToAckMs");
        long p50 = latency.get("p50").asLong();
        long max = latency.get("max").asLong();
        assertThat(p50).isPositive().isLessThanOrEqualTo(latency.get("p99").asLong());
        assertThat(latency.get("p99").asLong()).as("nearest rank of 3 samples is the largest").isEqualTo(max);
        assertThat(max).isLessThan(Duration.between(beforeC2, Instant.now()).toMillis());
        Instant recorded = Instant.parse(commit(audit, c2).get("recorded").asText());
        Instant published = Instant.parse(second.get("published").asText());
        assertThat(published).isAfterOrEqualTo(recorded);
        assertThat(max).isGreaterThanOrEqualTo(Duration.between(recorded, published).toMillis());

        JsonNode third = commit(audit, c3).get("clusters").get(0);
        assertThat(third.get("proxiesAcked").asInt()).isZero();
        assertThat(third.get("proxiesNacked").asInt()).isEqualTo(3);
        assertThat(third.get("snapshots").get(0).get("nacked").asInt()).isEqualTo(3);
        assertThat(third.get("nacks")).hasSize(3).allSatisfy(n -> {
            assertThat(n.get("typeUrl").asText()).isEqualTo("type.googleapis.com/envoy.config.cluster.v3.Cluster");
            assertThat(n.get("error").asText()).contains("ring_hash");
        });
        assertThat(third.get("nacks")).extracting(n -> n.get("proxyId").asText()).doesNotHaveDuplicates();
    }

    @Test
    void theTextAuditShowsTheSameCountsUnderEachCommit() {
        TimeMachineTest.Run run = TimeMachineTest.meshlog("audit", "--kafka", node.bootstrap(), "--cluster", "east");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).containsSubsequence(
                "applied   " + c2.substring(0, 8),
                "    cluster east  published ",
                "  1 scope  ACKed 3  NACKed 0  commit->ACK p50 ",
                " (3 proxies)",
                "        grpc  version ",
                "  ACKed 3  NACKed 0",
                "applied   " + c3.substring(0, 8),
                "  1 scope  ACKed 0  NACKed 3",
                "  ACKed 0  NACKed 3",
                "        NACK sidecar~127.0.0.1~client-",
                "  grpc  Cluster: ");
        assertThat(run.out()).doesNotContain("ACK/NACK counts per snapshot are not shown");
    }
}
