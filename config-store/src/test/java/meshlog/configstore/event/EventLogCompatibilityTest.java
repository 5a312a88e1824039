package meshlog.configstore.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import meshlog.configstore.kafka.KafkaBrokerExtension;
import meshlog.configstore.kafka.KafkaClients;
import meshlog.configstore.kafka.KafkaEventLog;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.configstore.kafka.Topics;
import meshlog.configstore.state.ConfigState;
import meshlog.gatewayapi.ResourceKey;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The log of events as schema 1 wrote them (checked in, never regenerated: a later schema adds a file of its own),
 * replayed by every build through a real broker: a later event version must still read it. One object in it is a
 * document this meshlog refuses (a field no schema has, as if a later version had dropped it): it becomes a note of
 * the state, not a failure of the replay.
 */
class EventLogCompatibilityTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    static List<String> schema1() throws IOException {
        try (InputStream in = EventLogCompatibilityTest.class.getResourceAsStream("/event-log/schema-1.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void theSchema1LogReplaysThroughARealBrokerToTheStateItRecorded() throws Exception {
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(KAFKA.bootstrap(), "schema-1-log",
                10_000)) {
            for (String line : schema1()) {
                producer.send(new ProducerRecord<>(Topics.CONFIG_EVENTS, "default",
                        line.getBytes(StandardCharsets.UTF_8))).get();
            }
        }
        List<LoggedEvent> read = KafkaEventLog.readAll(KAFKA.bootstrap(), "default");
        assertThat(read).hasSize(11);
        assertThat(read).extracting(e -> e.event().getClass().getSimpleName()).containsExactly(
                "ResourceUpserted", "ResourceUpserted", "ResourceUpserted", "CommitApplied", "ResourceUpserted",
                "CommitApplied", "CommitRejected", "ResourceUpserted", "CommitApplied", "ResourceDeleted",
                "CommitApplied");

        ConfigState state = ConfigState.replay(read.stream().map(LoggedEvent::event).toList());

        ResourceKey legacy = new ResourceKey("DestinationRule", "demo", "legacy");
        assertThat(state.resources().keySet()).containsExactly(new ResourceKey("DestinationRule", "demo", "echo"),
                new ResourceKey("ServiceEntry", "demo", "echo"));
        assertThat(state.documents()).containsKey(legacy);
        assertThat(state.unreadable()).containsOnlyKeys(legacy);
        assertThat(state.unreadable().get(legacy)).startsWith("ML0003 spec.retiredField: ");
        assertThat(state.lastApplied().sha()).isEqualTo("5555555555555555555555555555555555555555");
        assertThat(state.lastRejected().diagnostics().get(0).format()).isEqualTo("echo-routing.yaml:9:7: error"
                + " [VS0101] VirtualService demo/echo spec.http[0].route[0].weight: must be >= 0, got -5");
        assertThat(state.files().get(new ResourceKey("DestinationRule", "demo", "echo")))
                .isEqualTo("echo-service.yaml");
    }

    @Test
    void everyLineDecodesAndEncodesBackToTheSameEvent() throws Exception {
        for (String line : schema1()) {
            ConfigEvent e = EventCodec.decode(line.getBytes(StandardCharsets.UTF_8));
            assertThat(EventCodec.decode(EventCodec.encode(e))).isEqualTo(e);
        }
    }
}
