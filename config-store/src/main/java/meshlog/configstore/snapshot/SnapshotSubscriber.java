package meshlog.configstore.snapshot;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import meshlog.configstore.kafka.TopicTail;
import meshlog.configstore.kafka.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code meshlog.snapshots} for a distributor: reads the (compacted) topic from the beginning with
 * {@code read_committed}, assembles snapshots ({@link SnapshotAssembler}), and hands over complete ones only.
 *
 * <p>While catching up it keeps only the newest snapshot per cluster and hands those over once caught up (in
 * cluster order), then each new one as it completes. A snapshot whose version was the last handed over for its
 * cluster is not handed over again. {@code onSnapshot} runs on the subscriber's one daemon thread; if it throws,
 * the error is logged and the subscriber goes on with the next snapshot.
 */
public final class SnapshotSubscriber implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSubscriber.class);

    private final TopicTail tail;

    private SnapshotSubscriber(TopicTail tail) {
        this.tail = tail;
    }

    /**
     * @param clusters the clusters to follow; empty for all
     * @throws IllegalStateException if the topic does not exist
     * @throws org.apache.kafka.common.errors.TimeoutException if the broker cannot be reached within seconds
     */
    public static SnapshotSubscriber start(String bootstrap, Set<String> clusters,
                                           Consumer<ClusterSnapshot> onSnapshot) {
        Set<String> wanted = Set.copyOf(clusters);
        Handler handler = new Handler(new SnapshotAssembler(c -> wanted.isEmpty() || wanted.contains(c)),
                onSnapshot);
        String name = "meshlog-snapshot-subscriber" + (wanted.isEmpty() ? "" : "-" + String.join(",",
                new java.util.TreeSet<>(wanted)));
        return new SnapshotSubscriber(TopicTail.start(bootstrap, Topics.SNAPSHOTS, name, handler));
    }

    /** True once the snapshots present at start have been handed over. */
    public boolean caughtUp() {
        return tail.caughtUp();
    }

    /** Why the subscriber stopped on its own (an unrecoverable client error), or null. */
    public Throwable failure() {
        return tail.failure();
    }

    @Override
    public void close() {
        tail.close();
    }

    /** Runs on the tail's thread only. */
    private static final class Handler implements TopicTail.Handler {
        private final SnapshotAssembler assembler;
        private final Consumer<ClusterSnapshot> onSnapshot;
        private final Map<String, ClusterSnapshot> newestWhileCatchingUp = new TreeMap<>();
        private final Map<String, String> delivered = new HashMap<>();
        private boolean caughtUp;

        Handler(SnapshotAssembler assembler, Consumer<ClusterSnapshot> onSnapshot) {
            this.assembler = assembler;
            this.onSnapshot = onSnapshot;
        }

        @Override
        public void onRecord(ConsumerRecord<String, byte[]> r) {
            try {
                assembler.accept(r.key(), r.value()).ifPresent(s -> {
                    if (caughtUp) {
                        deliver(s);
                    } else {
                        newestWhileCatchingUp.put(s.cluster(), s);
                    }
                });
            } catch (IllegalArgumentException e) {
                LOG.warn("skipped unreadable snapshot record offset={} key={}: {}", r.offset(), r.key(),
                        e.getMessage());
            }
        }

        @Override
        public void onCaughtUp() {
            caughtUp = true;
            newestWhileCatchingUp.values().forEach(this::deliver);
            LOG.info("snapshot subscriber caught up: snapshots already published for {}",
                    newestWhileCatchingUp.keySet());
            newestWhileCatchingUp.clear();
        }

        private void deliver(ClusterSnapshot s) {
            if (s.version().equals(delivered.get(s.cluster()))) {
                return;
            }
            try {
                onSnapshot.accept(s);
                delivered.put(s.cluster(), s.version());
                LOG.debug("delivered snapshot cluster={} version={}", s.cluster(), s.version());
            } catch (RuntimeException e) {
                LOG.error("snapshot handler failed cluster={} version={}", s.cluster(), s.version(), e);
            }
        }
    }
}
