package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.EventCodec;
import meshlog.configstore.kafka.KafkaClients;
import meshlog.configstore.kafka.KafkaEventLog;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.configstore.kafka.Topics;
import meshlog.kafkaembedded.EmbeddedKafkaBroker;
import meshlog.ops.bench.ReplayHistory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A log holding records this meshlog cannot read (a newer meshlog's event type and schema version, read after a
 * downgrade, and a damaged record), on a real broker: {@code audit} and {@code state --at} read on past them, say
 * where they are, and answer the commits after them; the writer's read (git-sync's) still refuses such a log.
 */
class UnreadableEventsTest {

    static Path dir;
    static EmbeddedKafkaBroker broker;
    static String bootstrap;
    static String lastCommit;
    static List<LoggedEvent> events;

    @BeforeAll
    static void writeLog() throws Exception {
        dir = Files.createTempDirectory("unreadable-events");
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
        bootstrap = broker.bootstrapServers();
        Topics.ensure(bootstrap);
        String repo = MeshlogNode.REPO_ID;
        ReplayHistory history = new ReplayHistory(repo, 3, 42, 0, 10);
        List<ReplayHistory.Step> before = new ArrayList<>();
        List<ReplayHistory.Step> after = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            before.add(history.next());
        }
        for (int i = 0; i < 6; i++) {
            after.add(history.next());
        }
        try (KafkaEventLog log = new KafkaEventLog(bootstrap, repo);
             KafkaEventLog pins = KafkaEventLog.pinWriter(bootstrap, repo)) {
            ReplayHistory.write(log, pins, before, 1);
            try (KafkaProducer<String, byte[]> raw = KafkaClients.transactionalProducer(bootstrap, "newer-meshlog")) {
                raw.initTransactions();
                raw.beginTransaction();
                raw.send(new ProducerRecord<>(Topics.CONFIG_EVENTS, repo, ("{\"type\":\"ResourceRenamed\","
                        + "\"schemaVersion\":3,\"repo\":\"default\",\"commit\":\"feed01\",\"from\":\"a\"}")
                        .getBytes(StandardCharsets.UTF_8)));
                raw.send(new ProducerRecord<>(Topics.CONFIG_EVENTS, repo,
                        "not json \u001b[31m".getBytes(StandardCharsets.UTF_8)));
                raw.commitTransaction();
            }
            ReplayHistory.write(log, pins, after, 1);
        }
        events = KafkaEventLog.readAll(bootstrap, repo);
        lastCommit = events.stream().filter(e -> e.event() instanceof CommitApplied)
                .reduce((a, b) -> b).orElseThrow().event().commit();
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
        BenchSupport.deleteTree(dir);
    }

    @Test
    void theReadCommandsReaderNotesWhatItCannotReadAndTheWritersReaderRefuses() {
        List<ConfigEvent.UnreadableEvent> notes = events.stream().map(LoggedEvent::event)
                .filter(ConfigEvent.UnreadableEvent.class::isInstance).map(ConfigEvent.UnreadableEvent.class::cast)
                .toList();
        assertThat(notes).hasSize(2);
        assertThat(notes.get(0).type()).isEqualTo("ResourceRenamed");
        assertThat(notes.get(0).schemaVersion()).isEqualTo(3);
        assertThat(notes.get(0).commit()).isEqualTo("feed01");
        assertThat(notes.get(1).type()).isNull();
        assertThat(notes.get(1).schemaVersion()).isEqualTo(-1);
        assertThat(notes.get(1).recordHash()).hasSize(64);
        assertThatThrownBy(() -> EventCodec.encode(notes.get(0))).isInstanceOf(IllegalArgumentException.class);

        try (KafkaEventLog writer = new KafkaEventLog(bootstrap, MeshlogNode.REPO_ID)) {
            assertThatThrownBy(writer::readAll).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unreadable event");
        }
    }

    @Test
    void auditShowsBothRecordsAsNotesAndEveryCommitAfterThem() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = AuditCommand.run(List.of("--kafka", bootstrap, "-o", "json"), new PrintStream(out, true),
                System.err);
        assertThat(code).isEqualTo(0);
        JsonNode report = EventCodec.json().readTree(out.toByteArray());
        long renamedAt = events.stream().filter(e -> e.event() instanceof ConfigEvent.UnreadableEvent)
                .findFirst().orElseThrow().offset();
        assertThat(report.get("notes").get(0).asText()).isEqualTo("offset " + renamedAt + ": a record this"
                + " meshlog cannot read (type ResourceRenamed, schemaVersion 3, commit feed01: unreadable event:"
                + " type=ResourceRenamed schemaVersion=3); audit and state continue past it");
        assertThat(report.get("notes").get(1).asText()).startsWith("offset " + (renamedAt + 1)
                + ": a record this meshlog cannot read (type null, schemaVersion -1: ");
        assertThat(report.get("notes").get(1).asText()).doesNotContain("\u001b");
        List<String> shas = new ArrayList<>();
        report.get("commits").forEach(c -> shas.add(c.get("sha").asText()));
        assertThat(shas).contains(lastCommit).hasSize(12);
    }

    @Test
    void stateAfterThemAnswersWithNotesTheSameWithAndWithoutCheckpoints() throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        String withCheckpoints = null;
        for (int round = 0; round < 2; round++) { // the first writes the checkpoints, the second reads them
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = StateCommand.run(List.of("--at", lastCommit, "--kafka", bootstrap, "--checkpoint-dir",
                    checkpoints.toString(), "-o", "json"), new PrintStream(out, true), System.err, 2);
            assertThat(code).isEqualTo(0);
            withCheckpoints = out.toString(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        assertThat(StateCommand.run(List.of("--at", lastCommit, "--kafka", bootstrap, "--no-checkpoints", "-o",
                "json"), new PrintStream(plain, true), System.err, 2)).isEqualTo(0);
        assertThat(withCheckpoints).isEqualTo(plain.toString(StandardCharsets.UTF_8));
        JsonNode state = EventCodec.json().readTree(withCheckpoints);
        assertThat(state.get("commit").asText()).isEqualTo(lastCommit);
        assertThat(state.get("notes")).hasSize(2);
        assertThat(state.get("notes").get(0).asText()).isEqualTo("a record this meshlog cannot read (type"
                + " ResourceRenamed, schemaVersion 3, commit feed01: unreadable event: type=ResourceRenamed"
                + " schemaVersion=3); the state after it may lack its change");
        assertThat(state.get("objects").size()).isEqualTo(LogState.documents(LogState.at(events,
                state.get("offset").asLong())).size());
    }
}
