package meshlog.configstore.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.EventCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One repository's events in {@code meshlog.config-events}: every commit is one Kafka transaction (key = repo id,
 * value = {@link EventCodec} JSON), so readers see all of a commit or nothing of it.
 *
 * <p>The transactional id is {@code meshlog-gitsync-<repo>}: opening a second log for the same repo fences the
 * first, whose next {@link #appendCommit} fails with {@link LogWriteException#fenced()}. Only one writer per repo
 * can ever commit.
 */
public final class KafkaEventLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventLog.class);
    /** Upper bound for reading the whole log; the audit log is read at tens of thousands of records a second. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final String bootstrap;
    private final String repo;
    private final TransactionalWriter writer;
    private final Map<TopicPartition, Long> written = new ConcurrentHashMap<>();

    /**
     * Opens the log for {@code repo}, fencing any earlier writer of the same repo.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException if the broker cannot be reached within seconds
     */
    public KafkaEventLog(String bootstrap, String repo) {
        this(bootstrap, repo, transactionalId(repo));
    }

    private KafkaEventLog(String bootstrap, String repo, String transactionalId) {
        this.bootstrap = bootstrap;
        this.repo = repo;
        this.writer = new TransactionalWriter(bootstrap, transactionalId);
    }

    /**
     * The writer of pins ({@code meshlog rollback --pin}, {@code meshlog unpin}): a transactional id of its own,
     * so it fences no git-sync. Its transactions may interleave with git-sync's in the log; readers keep the two
     * apart (a pin's objects are {@code PinnedResource} events, closed only by their {@code RevisionPinned}).
     */
    public static KafkaEventLog pinWriter(String bootstrap, String repo) {
        return new KafkaEventLog(bootstrap, repo, "meshlog-pin-" + repo);
    }

    /** The transactional id of the writer of {@code repo}'s events. */
    public static String transactionalId(String repo) {
        return "meshlog-gitsync-" + repo;
    }

    /**
     * Writes the events of one commit, in order, as one transaction. An empty list writes nothing.
     *
     * @throws IllegalArgumentException if an event belongs to another repo
     * @throws LogWriteException if the transaction was not committed (nothing of it is visible, see there)
     */
    public void appendCommit(List<ConfigEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events.size());
        for (ConfigEvent e : events) {
            if (!repo.equals(e.repo())) {
                throw new IllegalArgumentException("event of repo " + e.repo() + " given to the log of " + repo);
            }
            records.add(new ProducerRecord<>(Topics.CONFIG_EVENTS, repo, EventCodec.encode(e)));
        }
        long t0 = System.nanoTime();
        Map<TopicPartition, Long> end = writer.write(records);
        end.forEach((tp, offset) -> written.merge(tp, offset, Math::max));
        ConfigEvent last = events.get(events.size() - 1);
        LOG.info("appended commit repo={} commit={} events={} closing={} in {} ms", repo, last.commit(),
                events.size(), last.getClass().getSimpleName(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /**
     * This repo's committed events from the beginning of the log up to its end at the time of the call, in log
     * order, including every commit this log appended (Kafka acknowledges a commit before readers can see it).
     *
     * @throws IllegalArgumentException if a record cannot be decoded (written by a newer meshlog)
     */
    public List<LoggedEvent> readAll() {
        writer.settle(); // a commit whose outcome was unknown is decided before the log is read
        return readAll(bootstrap, repo, Map.copyOf(written), false);
    }

    /**
     * As {@link #readAll()}, without opening a writer (and so without fencing anyone), for the commands that show
     * the log: a record this meshlog cannot read comes back as an {@link ConfigEvent.UnreadableEvent} note instead
     * of stopping the read. (The writer's {@link #readAll()} stays strict: git-sync must not record commits on top
     * of a state it could not read whole.)
     */
    public static List<LoggedEvent> readAll(String bootstrap, String repo) {
        return readAll(bootstrap, repo, Map.of(), true);
    }

    /**
     * This repo's committed events from offset {@code from} up to (not including) {@code until}, or to the end when
     * {@code until} is negative, in log order; unreadable records as notes, as {@link #readAll(String, String)}.
     */
    public static List<LoggedEvent> readRange(String bootstrap, String repo, long from, long until) {
        List<LoggedEvent> out = new ArrayList<>();
        forEachInRange(bootstrap, repo, from, until, out::add);
        return out;
    }

    /**
     * As {@link #readRange}, handing each event to {@code onEvent} in log order as it is decoded instead of
     * collecting them: a fold of a long log keeps its state, not every event (a list of the 341,000 events of a
     * 100,000-commit log, documents included, spent more time in the garbage collector than in decoding).
     */
    public static void forEachInRange(String bootstrap, String repo, long from, long until,
                                      Consumer<LoggedEvent> onEvent) {
        try (OrderedDecoder decoder = new OrderedDecoder(onEvent, true)) {
            TopicReader.readRange(bootstrap, Topics.CONFIG_EVENTS, "meshlog-eventlog-reader-" + repo, READ_TIMEOUT,
                    from, until, r -> {
                        if (repo.equals(r.key())) {
                            decoder.add(r);
                        }
                    });
            decoder.finish();
        }
    }

    /** As {@link #readAll(String, String)}, handing each event to {@code onEvent} (see {@link #forEachInRange}). */
    public static void forEach(String bootstrap, String repo, Consumer<LoggedEvent> onEvent) {
        forEach(bootstrap, repo, Map.of(), true, onEvent);
    }

    private static List<LoggedEvent> readAll(String bootstrap, String repo, Map<TopicPartition, Long> atLeast,
                                             boolean notes) {
        List<LoggedEvent> out = new ArrayList<>();
        forEach(bootstrap, repo, atLeast, notes, out::add);
        return out;
    }

    private static void forEach(String bootstrap, String repo, Map<TopicPartition, Long> atLeast, boolean notes,
                                Consumer<LoggedEvent> onEvent) {
        try (OrderedDecoder decoder = new OrderedDecoder(onEvent, notes)) {
            TopicReader.readToEnd(bootstrap, Topics.CONFIG_EVENTS, "meshlog-eventlog-reader-" + repo, READ_TIMEOUT,
                    atLeast, r -> {
                        if (repo.equals(r.key())) {
                            decoder.add(r);
                        }
                    });
            decoder.finish();
        }
    }

    /**
     * Decodes records in chunks on threads of their own (one per core) while the consumer fetches the next ones,
     * keeping log order (chunks are collected in the order they were read): decoding JSON costs more than fetching,
     * and overlapping the two brings a replay of a long log closer to the rate of the fetch alone. Bounded: the
     * fetch waits when {@value #MAX_PENDING} chunks are still to be decoded.
     */
    private static final class OrderedDecoder implements AutoCloseable {
        private static final int CHUNK = 1024;
        private static final int MAX_PENDING = 16;
        private final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors
                .newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                    Thread t = new Thread(r, "meshlog-event-decoder");
                    t.setDaemon(true);
                    return t;
                });
        private final java.util.ArrayDeque<java.util.concurrent.Future<List<LoggedEvent>>> pending =
                new java.util.ArrayDeque<>();
        private final Consumer<LoggedEvent> out;
        private final boolean notes;
        private List<ConsumerRecord<String, byte[]>> chunk = new ArrayList<>(CHUNK);

        /** @param notes an unreadable record becomes an UnreadableEvent (else it stops the read) */
        OrderedDecoder(Consumer<LoggedEvent> out, boolean notes) {
            this.out = out;
            this.notes = notes;
        }

        void add(ConsumerRecord<String, byte[]> r) {
            chunk.add(r);
            if (chunk.size() == CHUNK) {
                submit();
            }
        }

        private void submit() {
            List<ConsumerRecord<String, byte[]>> records = chunk;
            chunk = new ArrayList<>(CHUNK);
            pending.add(pool.submit(() -> {
                List<LoggedEvent> decoded = new ArrayList<>(records.size());
                records.forEach(r -> decoded.add(notes ? toLoggedOrNote(r) : toLogged(r)));
                return decoded;
            }));
            while (pending.size() > MAX_PENDING) {
                collect();
            }
        }

        private void collect() {
            try {
                pending.poll().get().forEach(out);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while decoding the log", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re; // an unreadable record: IllegalArgumentException, as a decode in line would throw
                }
                throw new IllegalStateException(e.getCause());
            }
        }

        void finish() {
            if (!chunk.isEmpty()) {
                submit();
            }
            while (!pending.isEmpty()) {
                collect();
            }
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }

    @Override
    public void close() {
        writer.close();
    }

    static LoggedEvent toLogged(ConsumerRecord<String, byte[]> r) {
        return new LoggedEvent(r.offset(), Instant.ofEpochMilli(r.timestamp()), EventCodec.decode(r.value()));
    }

    private static LoggedEvent toLoggedOrNote(ConsumerRecord<String, byte[]> r) {
        return new LoggedEvent(r.offset(), Instant.ofEpochMilli(r.timestamp()),
                EventCodec.decodeOrNote(r.key(), r.value()));
    }
}
