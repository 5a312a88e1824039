package meshlog.configstore.status;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import meshlog.configstore.LogSafe;
import meshlog.configstore.kafka.KafkaClients;
import meshlog.configstore.kafka.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends {@link SnapshotAck} records to {@code meshlog.proxy-acks}. Asynchronous like the proxy status: an xDS
 * thread waits for Kafka at most a second, a failed send is logged and counted, never thrown. The record is an audit
 * aid, not a control input: losing one while Kafka is down makes an audit count lower, nothing else.
 */
public final class SnapshotAckPublisher implements Consumer<SnapshotAck>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotAckPublisher.class);
    private static final int MAX_BLOCK_MS = 1000;

    private final KafkaProducer<String, byte[]> producer;
    private final AtomicLong failures = new AtomicLong();

    public SnapshotAckPublisher(String bootstrap) {
        this.producer = KafkaClients.producer(bootstrap, "meshlog-proxy-acks", MAX_BLOCK_MS);
    }

    @Override
    public void accept(SnapshotAck ack) {
        try {
            producer.send(new ProducerRecord<>(Topics.PROXY_ACKS, ack.key(), ack.encode()), (md, e) -> {
                if (e != null) {
                    failed(ack, e);
                }
            });
        } catch (RuntimeException e) {
            failed(ack, e);
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

    private void failed(SnapshotAck ack, Exception e) {
        failures.incrementAndGet();
        LOG.warn("proxy {} not recorded key={} version={}: {}", ack.outcome(), LogSafe.value(ack.key()),
                LogSafe.value(ack.version(), 100), LogSafe.value(e));
    }
}
