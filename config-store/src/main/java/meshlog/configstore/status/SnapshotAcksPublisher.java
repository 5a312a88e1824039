package meshlog.configstore.status;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import meshlog.configstore.LogSafe;
import meshlog.configstore.RateLimitedLog;
import meshlog.configstore.kafka.KafkaClients;
import meshlog.configstore.kafka.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends {@link SnapshotAcks} records to {@code meshlog.proxy-acks}. Called from a distributor's batching thread,
 * never from an xDS thread; a send waits for Kafka at most a second, and a failed one is counted and logged (rate
 * limited), never thrown. The records are an audit aid, not a control input: losing some while Kafka is down makes
 * an audit count lower, nothing else.
 */
public final class SnapshotAcksPublisher implements Consumer<SnapshotAcks>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotAcksPublisher.class);
    private static final int MAX_BLOCK_MS = 1000;

    private final KafkaProducer<String, byte[]> producer;
    private final AtomicLong failures = new AtomicLong();
    private final RateLimitedLog log = RateLimitedLog.of(LOG::warn);

    public SnapshotAcksPublisher(String bootstrap) {
        this.producer = KafkaClients.producer(bootstrap, "meshlog-proxy-acks", MAX_BLOCK_MS);
    }

    @Override
    public void accept(SnapshotAcks acks) {
        try {
            producer.send(new ProducerRecord<>(Topics.PROXY_ACKS, acks.key(), acks.encode()), (md, e) -> {
                if (e != null) {
                    failed(acks, e);
                }
            });
        } catch (RuntimeException e) {
            failed(acks, e);
        }
    }

    /** How many records could not be written so far. */
    public long failures() {
        return failures.get();
    }

    /** Sends what is buffered and closes, waiting at most 5 s. */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private void failed(SnapshotAcks acks, Exception e) {
        failures.incrementAndGet();
        log.event("proxy acks", () -> "proxy acks not recorded key=" + LogSafe.value(acks.key()) + " version="
                + LogSafe.value(acks.version(), 100) + ": " + LogSafe.value(e));
    }
}
