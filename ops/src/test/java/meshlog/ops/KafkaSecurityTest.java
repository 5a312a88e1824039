package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import meshlog.kafkaembedded.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshlog up --kafka HOST:PORT --kafka-config FILE} against a Kafka reached as production ones are: a SASL_SSL
 * listener (TLS with a certificate the client checks, SCRAM-SHA-256 login) of the embedded broker.
 */
class KafkaSecurityTest {

    static final String PASSWORD = "correct-horse-battery-staple";

    @TempDir
    static Path tmp;
    static EmbeddedKafkaBroker broker;
    static LoopbackTls tls;

    @BeforeAll
    static void startBroker() throws Exception {
        tls = LoopbackTls.create();
        broker = EmbeddedKafkaBroker.start(tmp.resolve("kafka"), 0, new EmbeddedKafkaBroker.SecureListener(
                tls.certificatePem(), tls.privateKeyPem(), Map.of("meshlog", PASSWORD)));
        Files.writeString(tmp.resolve("broker-ca.pem"), tls.certificatePem());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    static Path clientConfig(String name, String password) throws Exception {
        Path f = tmp.resolve(name);
        Files.writeString(f, String.join("\n",
                "security.protocol=SASL_SSL",
                "sasl.mechanism=SCRAM-SHA-256",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"meshlog\" password=\"" + password + "\";",
                "ssl.truststore.type=PEM",
                "ssl.truststore.location=" + tmp.resolve("broker-ca.pem"), ""));
        return f;
    }

    static UpOptions up(Path repo, Path config, String data) {
        return UpOptions.parse(List.of("--repo", repo.toString(), "--clusters", "east", "--replicas", "1",
                "--xds-port", "0", "--admin-port", "0", "--data-dir", tmp.resolve(data).toString(), "--poll", "100ms",
                "--kafka", broker.secureBootstrapServers(), "--kafka-config", config.toString()));
    }

    @Test
    void aCommitReachesAClientThroughTlsAndScram() throws Exception {
        try (EchoBackends backends = EchoBackends.start("v1", "v2");
             MeshRepo repo = new MeshRepo(tmp.resolve("mesh"), backends.port("v1"), backends.port("v2"))) {
            repo.commit("echo-routing.yaml", MeshRepo.split(0, 100), "echo: all to v2");
            try (MeshlogNode node = MeshlogNode.start(up(repo.dir(), clientConfig("good.properties", PASSWORD),
                    "good"));
                 ProxylessClient client = new ProxylessClient(node.replicas().get(0).server().address(), "east",
                         MeshRepo.TARGET)) {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> client.spread(20).equals(Map.of("v2", 20)));
                assertThat(node.bootstrap()).isEqualTo(broker.secureBootstrapServers());
            }
        }
    }

    @Test
    void aWrongPasswordFailsTheStartWithKafkasReason() throws Exception {
        Path repo = tmp.resolve("empty-repo");
        InitCommand.run(repo, System.out, System.err);
        assertThatThrownBy(() -> MeshlogNode.start(up(repo, clientConfig("bad.properties", "wrong"), "bad")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot use Kafka at " + broker.secureBootstrapServers())
                .cause().hasMessageContaining("Authentication failed during authentication due to invalid"
                        + " credentials with SASL mechanism SCRAM-SHA-256");
    }

    @Test
    void aKeyMeshlogSetsItselfIsRefusedNamingFileAndKey() throws Exception {
        Path f = tmp.resolve("isolation.properties");
        Files.writeString(f, "security.protocol=SASL_SSL\nisolation.level=read_uncommitted\n");
        assertThatThrownBy(() -> UpOptions.parse(List.of("--repo", "r", "--kafka", "127.0.0.1:9092",
                "--kafka-config", f.toString())))
                .isInstanceOf(Flags.UsageException.class)
                .hasMessageStartingWith("--kafka-config " + f + ": key isolation.level is not passed to Kafka clients");
    }
}
