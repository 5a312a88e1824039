package meshlog.configstore.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import meshlog.configstore.event.CommitInfo;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.ResourceDeleted;
import meshlog.configstore.event.EventCodec;
import meshlog.gatewayapi.ResourceKey;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The event log against a real broker. Each test uses its own repo ids: the topic is shared by the class. */
class KafkaEventLogTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void readAllReturnsThisReposCommitsInLogOrder() {
        try (KafkaEventLog a = new KafkaEventLog(KAFKA.bootstrap(), "order-a");
             KafkaEventLog b = new KafkaEventLog(KAFKA.bootstrap(), "order-b")) {
            a.appendCommit(commit("order-a", "c1", 3));
            b.appendCommit(commit("order-b", "x1", 2));
            a.appendCommit(commit("order-a", "c2", 2));

            List<LoggedEvent> read = a.readAll();

            assertThat(events(read)).containsExactlyElementsOf(concat(commit("order-a", "c1", 3),
                    commit("order-a", "c2", 2)));
            assertThat(read).extracting(LoggedEvent::offset).isSorted().doesNotHaveDuplicates();
            assertThat(read).allSatisfy(e -> assertThat(e.timestamp()).isAfter(Instant.now().minusSeconds(60)));
            assertThat(KafkaEventLog.readAll(KAFKA.bootstrap(), "order-b")).hasSize(2);
        }
    }

    @Test
    void aCommitIsAllOrNothing_abortedAndOpenTransactionsAreInvisible() throws Exception {
        String repo = "atomic";
        List<LoggedEvent> tailed = new CopyOnWriteArrayList<>();
        try (KafkaEventLog log = new KafkaEventLog(KAFKA.bootstrap(), repo);
             EventTail tail = EventTail.start(KAFKA.bootstrap(), repo, tailed::add);
             KafkaProducer<String, byte[]> raw = KafkaClients.transactionalProducer(KAFKA.bootstrap(), "raw")) {
            log.appendCommit(commit(repo, "good-1", 3));
            raw.initTransactions();

            raw.beginTransaction(); // a writer that dies mid-commit: half its events are in the log, then abort
            for (ConfigEvent e : commit(repo, "aborted", 4).subList(0, 2)) {
                raw.send(new ProducerRecord<>(Topics.CONFIG_EVENTS, repo, EventCodec.encode(e)));
            }
            raw.flush();
            raw.abortTransaction();

            raw.beginTransaction(); // and one still open while readers read
            raw.send(new ProducerRecord<>(Topics.CONFIG_EVENTS, repo,
                    EventCodec.encode(commit(repo, "open", 1).get(0)))).get();
            assertThat(events(log.readAll())).containsExactlyElementsOf(commit(repo, "good-1", 3));
            raw.abortTransaction();

            log.appendCommit(commit(repo, "good-2", 2));

            List<ConfigEvent> expected = concat(commit(repo, "good-1", 3), commit(repo, "good-2", 2));
            assertThat(events(log.readAll())).containsExactlyElementsOf(expected);
            await().atMost(WAIT).until(() -> tailed.size() >= expected.size());
            assertThat(events(tailed)).containsExactlyElementsOf(expected);
            assertThat(tail.failure()).isNull();
        }
    }

    @Test
    void theTailDeliversInLogOrderAndCatchesUp() {
        String repo = "tail";
        try (KafkaEventLog log = new KafkaEventLog(KAFKA.bootstrap(), repo)) {
            log.appendCommit(commit(repo, "t1", 2));
            log.appendCommit(commit(repo, "t2", 3));
            List<LoggedEvent> tailed = new CopyOnWriteArrayList<>();
            try (EventTail tail = EventTail.start(KAFKA.bootstrap(), repo, tailed::add)) {
                await().atMost(WAIT).until(tail::caughtUp);
                assertThat(tailed).hasSize(5);

                log.appendCommit(commit(repo, "t3", 1));

                await().atMost(WAIT).until(() -> tailed.size() == 6);
                assertThat(tailed).containsExactlyElementsOf(log.readAll());
                assertThat(tail.failure()).isNull();
            }
        }
    }

    @Test
    void aSecondLogForTheSameRepoFencesTheFirst() {
        String repo = "fenced";
        try (KafkaEventLog first = new KafkaEventLog(KAFKA.bootstrap(), repo)) {
            first.appendCommit(commit(repo, "f1", 1));
            try (KafkaEventLog second = new KafkaEventLog(KAFKA.bootstrap(), repo)) {
                assertThatThrownBy(() -> first.appendCommit(commit(repo, "zombie", 2)))
                        .isInstanceOfSatisfying(LogWriteException.class, e -> {
                            assertThat(e.fenced()).isTrue();
                            assertThat(e.outcomeUnknown()).isFalse();
                        });
                assertThatThrownBy(() -> first.appendCommit(commit(repo, "zombie-again", 1)))
                        .isInstanceOf(IllegalStateException.class);
                second.appendCommit(commit(repo, "f2", 1));

                assertThat(events(second.readAll())).containsExactlyElementsOf(concat(commit(repo, "f1", 1),
                        commit(repo, "f2", 1)));
            }
        }
    }

    @Test
    void refusesEventsOfAnotherRepo() {
        try (KafkaEventLog log = new KafkaEventLog(KAFKA.bootstrap(), "mine")) {
            assertThatThrownBy(() -> log.appendCommit(commit("theirs", "c", 1)))
                    .isInstanceOf(IllegalArgumentException.class);
            log.appendCommit(List.of());
            assertThat(log.readAll()).isEmpty();
        }
    }

    /** A commit of {@code n} events: n-1 deletes, then its CommitApplied. */
    static List<ConfigEvent> commit(String repo, String sha, int n) {
        List<ConfigEvent> events = new ArrayList<>();
        List<ResourceKey> keys = new ArrayList<>();
        for (int i = 0; i < n - 1; i++) {
            ResourceKey k = new ResourceKey("VirtualService", "default", sha + "-" + i);
            keys.add(k);
            events.add(new ResourceDeleted(repo, sha, k));
        }
        events.add(new CommitApplied(repo, new CommitInfo(sha, "Ada", "ada@example.com",
                Instant.parse("2026-11-25T10:00:00Z"), "commit " + sha), keys, List.of()));
        return events;
    }

    static List<ConfigEvent> events(List<LoggedEvent> logged) {
        return logged.stream().map(LoggedEvent::event).toList();
    }

    private static List<ConfigEvent> concat(List<ConfigEvent> a, List<ConfigEvent> b) {
        List<ConfigEvent> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
