package meshlog.configstore.kafka;

import meshlog.kafkaembedded.EmbeddedKafkaBroker;

import static meshlog.configstore.kafka.KafkaEventLogTest.commit;
import static meshlog.configstore.kafka.KafkaEventLogTest.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import meshlog.configstore.event.ConfigEvent;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BrokerRestartTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void aSecondBrokerOnARunningBrokersDirectoryIsRefusedBeforeItTouchesAnything() throws Exception {
        java.nio.file.Path ports = KAFKA.dataDir().resolve("meshlog-broker-ports.properties");
        String portsBefore = java.nio.file.Files.readString(ports);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmbeddedKafkaBroker.start(KAFKA.dataDir(), 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is in use");

        assertThat(java.nio.file.Files.readString(ports)).isEqualTo(portsBefore);
        Topics.ensure(KAFKA.bootstrap()); // the running broker is undisturbed
    }

    @Test
    void aCommitDuringAnOutageFailsAndTheSameWriterWorksOnceTheBrokerIsBack() {
        String repo = "outage";
        try (KafkaEventLog log = new KafkaEventLog(KAFKA.bootstrap(), repo)) {
            log.appendCommit(commit(repo, "before", 1));
            KAFKA.stop();
            try {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> log.appendCommit(commit(repo, "during", 1)))
                        .isInstanceOf(RuntimeException.class);
            } finally {
                KAFKA.startAgain();
            }
            log.appendCommit(commit(repo, "after", 1));

            // A commit is acknowledged before the broker writes its marker; after a restart the marker can lag,
            // so a fresh read_committed reader may see it a moment later (bounded here, as a reader would wait).
            List<ConfigEvent> logged = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
                    .until(() -> events(KafkaEventLog.readAll(KAFKA.bootstrap(), repo)),
                            l -> l.stream().anyMatch(e -> e.commit().equals("after")));
            assertThat(logged).containsSubsequence(commit(repo, "before", 1).get(0), commit(repo, "after", 1).get(0));
            assertThat(logged).filteredOn(e -> e.commit().equals("during")).hasSizeLessThanOrEqualTo(1);
            assertThat(logged).filteredOn(e -> e.commit().equals("after")).hasSize(1);
        }
    }

    @Test
    void aBrokerRestartedOnTheSameDirectoryKeepsTheLogAndItsAddress_clientsCarryOn() {
        String repo = "restart";
        List<LoggedEvent> tailed = new CopyOnWriteArrayList<>();
        try (KafkaEventLog log = new KafkaEventLog(KAFKA.bootstrap(), repo);
             EventTail tail = EventTail.start(KAFKA.bootstrap(), repo, tailed::add)) {
            log.appendCommit(commit(repo, "r1", 3));
            log.appendCommit(commit(repo, "r2", 2));
            List<LoggedEvent> before = log.readAll();
            String address = KAFKA.bootstrap();

            KAFKA.restart();

            assertThat(KAFKA.bootstrap()).isEqualTo(address);
            Topics.ensure(KAFKA.bootstrap()); // idempotent: the topics are still there
            assertThat(KafkaEventLog.readAll(KAFKA.bootstrap(), repo)).containsExactlyElementsOf(before);
            log.appendCommit(commit(repo, "r3", 1)); // the same producer, reconnected

            List<LoggedEvent> after = log.readAll();
            assertThat(events(after)).hasSize(6).endsWith(commit(repo, "r3", 1).get(0));
            await().atMost(Duration.ofSeconds(20)).until(() -> tailed.size() == 6);
            assertThat(tailed).containsExactlyElementsOf(after);
        }
    }
}
