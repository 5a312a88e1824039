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
 * Writes proxy status to {@code meshlog.proxy-status} (key {@code cluster/proxyId}, compacted, so the topic keeps
 * the latest status of each proxy). Sends are asynchronous: a distributor's xDS thread is never held up by Kafka for
 * more than a second, and a failed send is logged and counted, not thrown. Status is advisory, and the next change
 * of the same proxy overwrites it.
 */
public final class ProxyStatusPublisher implements Consumer<ProxyStatus>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyStatusPublisher.class);
    /** A send blocks only while metadata is missing or the buffer is full, and at most this long. */
    private static final int MAX_BLOCK_MS = 1000;

    private final KafkaProducer<String, byte[]> producer;
    private final AtomicLong failures = new AtomicLong();

    public ProxyStatusPublisher(String bootstrap) {
        this.producer = KafkaClients.producer(bootstrap, "meshlog-proxy-status", MAX_BLOCK_MS);
        try {
            producer.partitionsFor(Topics.PROXY_STATUS); // fetch metadata now, not on the first status
        } catch (RuntimeException e) {
            LOG.warn("proxy status topic not reachable yet at {}: {}", bootstrap, e.toString());
        }
    }

    /** Sends {@code status} asynchronously. */
    @Override
    public void accept(ProxyStatus status) {
        send(ProxyStatusCodec.key(status.cluster(), status.proxyId()), ProxyStatusCodec.encode(status));
    }

    /** Removes a proxy's status (a tombstone): for proxies gone for good. */
    public void forget(String cluster, String proxyId) {
        send(ProxyStatusCodec.key(cluster, proxyId), null);
    }

    /** How many sends have failed so far. */
    public long failures() {
        return failures.get();
    }

    /** Sends what is buffered and closes, waiting at most 5 s. */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private void send(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(Topics.PROXY_STATUS, key, value), (md, e) -> {
                if (e != null) {
                    failures.incrementAndGet();
                    LOG.warn("proxy status not written key={}: {}", LogSafe.value(key), LogSafe.value(e));
                }
            });
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            LOG.warn("proxy status not sent key={}: {}", LogSafe.value(key), LogSafe.value(e));
        }
    }
}
