package meshlog.xds.status;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import meshlog.configstore.LogSafe;
import meshlog.configstore.RateLimitedLog;
import meshlog.configstore.status.SnapshotAcks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes answers from xDS threads without ever blocking them (a bounded queue; a full queue drops the answer and
 * counts it), and on its own thread folds them every flush interval into one {@link SnapshotAcks} per version
 * ({@link AckBatch}) for the sink, the {@code meshlog.proxy-acks} topic. 10,000 proxies ACKing one version within
 * a second make one record, not 10,000.
 */
public final class AckBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AckBatcher.class);
    /** Answers held between flushes: a burst of reconnects of this many proxies in one interval is kept whole. */
    static final int QUEUE_MAX = 65_536;
    static final Duration FLUSH_INTERVAL = Duration.ofSeconds(1);

    private final String cluster;
    private final Supplier<String> distributor;
    private final Clock clock;
    private final int capacity;
    private final BlockingQueue<Answer> queue;
    private final AckBatch batch = new AckBatch();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final RateLimitedLog log = RateLimitedLog.of(LOG::warn);
    private final ScheduledExecutorService flusher;
    private volatile Consumer<SnapshotAcks> sink = r -> {
    };

    /** Starts the flushing thread: every {@code interval}. */
    public AckBatcher(String cluster, Supplier<String> distributor, Clock clock, int capacity, Duration interval) {
        this.cluster = cluster;
        this.distributor = distributor;
        this.clock = clock;
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "xds-acks-" + cluster);
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flush, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public AckBatcher(String cluster, Supplier<String> distributor, Clock clock) {
        this(cluster, distributor, clock, QUEUE_MAX, FLUSH_INTERVAL);
    }

    /** Where the records go; nowhere (answers are still drained) until set. */
    public void reportTo(Consumer<SnapshotAcks> sink) {
        this.sink = sink;
    }

    /** Never blocks: a full queue drops {@code a} and counts it in {@link #dropped}. */
    void offer(Answer a) {
        if (!queue.offer(a)) {
            dropped.incrementAndGet();
            log.event("acks dropped", () -> "proxy answers dropped (queue of " + capacity + " full): "
                    + dropped.get() + " since start; audit counts will be low");
        }
    }

    /** Answers dropped since start because the queue was full (a metric). */
    public long dropped() {
        return dropped.get();
    }

    /** Records handed to the sink since start (a metric). */
    public long records() {
        return records.get();
    }

    /** Folds what is queued and hands the records to the sink; on the flushing thread, or at close. */
    synchronized void flush() {
        try {
            List<Answer> taken = new ArrayList<>();
            queue.drainTo(taken);
            taken.forEach(batch::add);
            for (SnapshotAcks r : batch.drain(cluster, distributor.get(), clock.instant())) {
                sink.accept(r);
                records.incrementAndGet();
            }
        } catch (RuntimeException e) {
            log.event("acks flush", () -> "proxy acks flush failed cluster=" + LogSafe.value(cluster) + ": "
                    + LogSafe.value(e, 300));
        }
    }

    /** Stops the thread, then flushes what is left (the sink must still be open). */
    @Override
    public void close() {
        flusher.shutdownNow();
        try {
            flusher.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
