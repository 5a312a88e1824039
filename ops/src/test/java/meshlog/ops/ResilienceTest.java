package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import meshlog.kafkaembedded.EmbeddedKafkaBroker;
import meshlog.configstore.kafka.KafkaEventLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user's proxies see when parts fail: a distributor dies under a client, and the Kafka broker goes away while
 * a commit is made. The control plane uses a broker of the test's own through {@code --kafka}, so the test can stop
 * it. One story in order, like {@link EndToEndTest}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResilienceTest {

    @TempDir
    static Path tmp;
    static EchoBackends backends;
    static MeshRepo repo;
    static EmbeddedKafkaBroker broker;
    static MeshlogNode node;

    @BeforeAll
    static void start() throws Exception {
        backends = EchoBackends.start("v1", "v2");
        repo = new MeshRepo(tmp.resolve("mesh"), backends.port("v1"), backends.port("v2"));
        repo.commit("echo-routing.yaml", MeshRepo.split(100, 0), "all to v1");
        broker = EmbeddedKafkaBroker.start(tmp.resolve("kafka"), 0);
        node = MeshlogNode.start(new UpOptions(repo.dir(), null, List.of("east"), 2, 0, 0, tmp.resolve("data"),
                broker.bootstrapServers(), Duration.ofMillis(100), "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        node.close();
        broker.close();
        backends.close();
        repo.close();
    }

    static String address(int replica) {
        return node.replicas().get(replica).server().address();
    }

    static boolean allFrom(ProxylessClient client, String version) {
        try {
            return client.spread(20).equals(Map.of(version, 20));
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Test
    @Order(1)
    void aClientWhoseDistributorDiesFollowsTheNextCommitThroughTheOtherReplica() throws Exception {
        List<InetSocketAddress> replicas = node.replicas().stream()
                .map(r -> new InetSocketAddress("127.0.0.1", r.server().port())).toList();
        try (TcpService service = new TcpService(replicas);
             ProxylessClient client = new ProxylessClient(service.address(), "east", MeshRepo.TARGET)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> allFrom(client, "v1"));

            MeshlogNode.Replica first = node.replicas().get(0);
            first.feed().close();
            first.server().close();
            assertThat(client.spread(50)).as("the client keeps its config").isEqualTo(Map.of("v1", 50));

            repo.commit("echo-routing.yaml", MeshRepo.split(0, 100), "all to v2");
            await().atMost(Duration.ofSeconds(30)).until(() -> allFrom(client, "v2"));
        }
    }

    @Test
    @Order(2)
    void duringAKafkaOutageProxiesKeepServingAndTheCommitMadeMeanwhileIsAppliedOnceItEnds() throws Exception {
        try (ProxylessClient client = new ProxylessClient(address(1), "east", MeshRepo.TARGET)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> allFrom(client, "v2"));

            broker.close();
            String during = repo.commit("echo-routing.yaml", MeshRepo.split(100, 0), "back to v1, Kafka down");
            await().atMost(Duration.ofSeconds(40)).until(() -> node.gitSync().lastFailure() != null);
            assertThat(client.spread(50)).as("proxies keep the last config").isEqualTo(Map.of("v2", 50));

            broker = EmbeddedKafkaBroker.start(tmp.resolve("kafka"), 0);
            await().atMost(Duration.ofSeconds(60)).until(() -> allFrom(client, "v1"));
            assertThat(KafkaEventLog.readAll(broker.bootstrapServers(), MeshlogNode.REPO_ID))
                    .as("recorded exactly once").filteredOn(e -> e.event().commit().equals(during)).hasSize(2);
            await().atMost(Duration.ofSeconds(10)).until(() -> node.gitSync().lastFailure() == null);
        }
    }
}
