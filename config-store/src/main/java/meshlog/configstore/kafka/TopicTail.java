package meshlog.configstore.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a topic from its beginning on one daemon thread, forever until {@link #close()}, seeing only committed
 * transactions. No consumer group: every tail reads everything. The handler runs on the tail's thread, in log
 * order per partition; if it throws, the tail stops and {@link #failure()} says why.
 */
public final class TopicTail implements AutoCloseable {

    /** What a tail does with what it reads. Both methods run on the tail's thread. */
    public interface Handler {
        void onRecord(ConsumerRecord<String, byte[]> record);

        /** Called once, when the tail has read up to the end offsets seen at its start. */
        default void onCaughtUp() {
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(TopicTail.class);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration CATCH_UP_POLL = Duration.ofMillis(20);
    private static final long JOIN_MS = 10_000;

    private final String name;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<TopicPartition, Long> startEnd;
    private final Handler handler;
    private final Thread thread;
    private final long startNanos = System.nanoTime();
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private volatile Throwable failure;
    private volatile long lag = -1;

    private TopicTail(String name, KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> startEnd,
                      Handler handler) {
        this.name = name;
        this.consumer = consumer;
        this.startEnd = startEnd;
        this.handler = handler;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /**
     * Starts following {@code topic}; {@code name} names the thread and the client in logs.
     *
     * @throws IllegalStateException if the topic does not exist
     * @throws org.apache.kafka.common.errors.TimeoutException if the broker cannot be reached within seconds
     */
    public static TopicTail start(String bootstrap, String topic, String name, Handler handler) {
        KafkaConsumer<String, byte[]> consumer = KafkaClients.committedReader(bootstrap, name);
        TopicTail tail;
        try {
            List<TopicPartition> partitions = TopicReader.assignFromBeginning(consumer, topic);
            tail = new TopicTail(name, consumer, Map.copyOf(consumer.endOffsets(partitions)), handler);
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
            throw e;
        }
        tail.thread.start(); // hands the consumer to the tail's thread: it is not used here again
        return tail;
    }

    /** True once everything up to the end offsets seen at start has been handed to the handler. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /**
     * Records between what the tail has handed to its handler and the end of the topic (of committed transactions),
     * summed over its partitions, as of its last poll; -1 until the broker has told it every partition's end. A
     * metric: the client's own figure from its fetch responses, no extra request.
     */
    public long lag() {
        return lag;
    }

    /** Why the tail stopped on its own (a handler exception or an unrecoverable client error), or null. */
    public Throwable failure() {
        return failure;
    }

    /** Stops the thread (waiting up to 10 s for it) and closes the consumer. */
    @Override
    public void close() {
        running = false;
        if (thread.isAlive()) {
            consumer.wakeup(); // the consumer is closed once the thread has ended
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(JOIN_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("tail {} did not stop within {} ms", name, JOIN_MS);
            }
        }
    }

    /** Whether the start's end offsets are reached; false while the broker cannot say (it may be restarting). */
    private boolean reachedStartEnd() {
        try {
            return TopicReader.reached(consumer, startEnd);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            LOG.debug("tail {} cannot get its position yet: {}", name, e.toString());
            return false;
        }
    }

    /** The client's lag summed over the assigned partitions, or -1 while one is not known yet. */
    private long currentLag() {
        long sum = 0;
        for (TopicPartition p : consumer.assignment()) {
            java.util.OptionalLong l = consumer.currentLag(p);
            if (l.isEmpty()) {
                return -1;
            }
            sum += l.getAsLong();
        }
        return sum;
    }

    private void run() {
        try {
            while (running) {
                // Short polls until caught up: an empty or short topic must not hold start-up for a whole POLL.
                for (ConsumerRecord<String, byte[]> r : consumer.poll(caughtUp ? POLL : CATCH_UP_POLL)) {
                    handler.onRecord(r);
                }
                lag = currentLag();
                if (!caughtUp && reachedStartEnd()) {
                    handler.onCaughtUp();
                    caughtUp = true;
                    LOG.debug("tail {} caught up to {} in {} ms", name, startEnd,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
                }
            }
        } catch (WakeupException e) {
            if (running) {
                failure = e;
                LOG.error("tail {} woken up unexpectedly; stopped", name, e);
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("tail {} stopped: {}", name, e.toString(), e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }
}
