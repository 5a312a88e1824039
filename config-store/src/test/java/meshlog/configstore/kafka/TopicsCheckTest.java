package meshlog.configstore.kafka;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import meshlog.kafkaembedded.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An existing topic with the wrong policy is refused, not used. */
class TopicsCheckTest {

    @TempDir
    Path dir;

    @Test
    void anEndpointsTopicThatIsNotCompactedIsRefused() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Files.createDirectories(dir.resolve("k")), 0)) {
            try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
                admin.createTopics(List.of(new NewTopic(Topics.ENDPOINTS, Optional.of(1), Optional.empty())
                        .configs(Map.of("cleanup.policy", "delete")))).all().get();
            }
            assertThatThrownBy(() -> Topics.ensure(broker.bootstrapServers()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("topic meshlog.endpoints has cleanup.policy=delete; meshlog needs compact (with"
                            + " delete, a service unchanged for retention.ms would lose its only record)");
        }
    }
}
