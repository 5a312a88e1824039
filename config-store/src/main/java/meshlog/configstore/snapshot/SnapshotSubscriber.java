package meshlog.configstore.snapshot;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;
import meshlog.configstore.kafka.TopicTail;
import meshlog.configstore.kafka.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code meshlog.snapshots} for a distributor: reads the (compacted) topic from the beginning with
 * {@code read_committed}, assembles scope snapshots ({@link SnapshotAssembler}), and hands over complete ones only.
 *
 * <p>While catching up it keeps only the newest snapshot per (cluster, scope) and hands those over once caught up
 * (in cluster, then scope order), then each new one as it completes. A snapshot whose version was the last handed
 * over for its (cluster, scope) is not handed over again. A scope withdrawn after it was handed over is reported to
 * a {@link Listener}. The listener runs on the subscriber's one daemon thread; if it throws, the error is logged and
 * the subscriber goes on with the next record.
 */
public final class SnapshotSubscriber implements AutoCloseable {

    /** What a subscriber hands over. Both run on the subscriber's thread. */
    public interface Listener {
        /** A complete snapshot of a scope, newer than the last one handed over for it. */
        void onSnapshot(ScopeSnapshot snapshot);

        /** The scope's pointer was withdrawn after a snapshot of it was handed over: serve it no more. */
        void onWithdrawn(String cluster, String scope);
    }

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSubscriber.class);

    private final TopicTail tail;

    private SnapshotSubscriber(TopicTail tail) {
        this.tail = tail;
    }

    /**
     * Starts a subscriber that hands over snapshots only (withdrawals are not reported).
     *
     * @param clusters the clusters to follow; empty for all
     * @throws IllegalStateException if the topic does not exist
     * @throws org.apache.kafka.common.errors.TimeoutException if the broker cannot be reached within seconds
     */
    public static SnapshotSubscriber start(String bootstrap, Set<String> clusters,
                                           Consumer<ScopeSnapshot> onSnapshot) {
        return start(bootstrap, clusters, new Listener() {
            @Override
            public void onSnapshot(ScopeSnapshot snapshot) {
                onSnapshot.accept(snapshot);
            }

            @Override
            public void onWithdrawn(String cluster, String scope) {
            }
        });
    }

    /** As {@link #start(String, Set, Consumer)}, reporting withdrawn scopes too. */
    public static SnapshotSubscriber start(String bootstrap, Set<String> clusters, Listener listener) {
        Set<String> wanted = Set.copyOf(clusters);
        Handler handler = new Handler(c -> wanted.isEmpty() || wanted.contains(c), listener);
        String name = "meshlog-snapshot-subscriber" + (wanted.isEmpty() ? "" : "-" + String.join(",",
                new TreeSet<>(wanted)));
        return new SnapshotSubscriber(TopicTail.start(bootstrap, Topics.SNAPSHOTS, name, handler));
    }

    /** True once the snapshots present at start have been handed over. */
    public boolean caughtUp() {
        return tail.caughtUp();
    }

    /** Records of the snapshots topic not read yet, or -1 while not known ({@link TopicTail#lag()}). */
    public long lag() {
        return tail.lag();
    }

    /** Why the subscriber stopped on its own (an unrecoverable client error), or null. */
    public Throwable failure() {
        return tail.failure();
    }

    @Override
    public void close() {
        tail.close();
    }

    private record ScopeId(String cluster, String scope) {
        static final Comparator<ScopeId> ORDER = Comparator.comparing(ScopeId::cluster)
                .thenComparing(ScopeId::scope);

        @Override
        public String toString() {
            return cluster + "/" + scope;
        }
    }

    /** Runs on the tail's thread only. */
    private static final class Handler implements TopicTail.Handler {
        private final Predicate<String> wanted;
        private final SnapshotAssembler assembler;
        private final Listener listener;
        private final Map<ScopeId, ScopeSnapshot> newestWhileCatchingUp = new TreeMap<>(ScopeId.ORDER);
        private final Map<ScopeId, String> delivered = new HashMap<>();
        private boolean caughtUp;

        Handler(Predicate<String> wanted, Listener listener) {
            this.wanted = wanted;
            this.assembler = new SnapshotAssembler(wanted);
            this.listener = listener;
        }

        @Override
        public void onRecord(ConsumerRecord<String, byte[]> r) {
            try {
                for (ScopeSnapshot s : assembler.accept(r.key(), r.value())) {
                    ScopeId id = new ScopeId(s.cluster(), s.scope());
                    if (caughtUp) {
                        deliver(id, s);
                    } else {
                        newestWhileCatchingUp.put(id, s);
                    }
                }
                if (r.value() == null && SnapshotKey.parse(r.key()) instanceof SnapshotKey.Pointer p
                        && wanted.test(p.cluster())) {
                    withdrawn(new ScopeId(p.cluster(), p.scope()));
                }
            } catch (IllegalArgumentException e) {
                LOG.warn("skipped unreadable snapshot record offset={} key={}: {}", r.offset(),
                        SnapshotKey.shown(r.key() == null ? "null" : r.key()), e.getMessage());
            }
        }

        @Override
        public void onCaughtUp() {
            caughtUp = true;
            newestWhileCatchingUp.forEach(this::deliver);
            LOG.info("snapshot subscriber caught up: snapshots already published for {}",
                    newestWhileCatchingUp.keySet());
            newestWhileCatchingUp.clear();
        }

        private void deliver(ScopeId id, ScopeSnapshot s) {
            if (s.version().equals(delivered.get(id))) {
                return;
            }
            try {
                listener.onSnapshot(s);
                delivered.put(id, s.version());
                LOG.debug("delivered snapshot cluster={} scope={} version={}", s.cluster(), s.scope(), s.version());
            } catch (RuntimeException e) {
                LOG.error("snapshot handler failed cluster={} scope={} version={}", s.cluster(), s.scope(),
                        s.version(), e);
            }
        }

        private void withdrawn(ScopeId id) {
            newestWhileCatchingUp.remove(id);
            if (delivered.remove(id) == null) {
                return;
            }
            try {
                listener.onWithdrawn(id.cluster(), id.scope());
                LOG.debug("withdrawn snapshot cluster={} scope={}", id.cluster(), id.scope());
            } catch (RuntimeException e) {
                LOG.error("snapshot withdrawal handler failed cluster={} scope={}", id.cluster(), id.scope(), e);
            }
        }
    }
}
