package meshlog.configstore.scope;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import meshlog.configstore.kafka.KafkaClients;
import meshlog.configstore.kafka.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A distributor's edge to {@code meshlog.scopes}: each scope is written once per process, asynchronously. */
public final class ScopeRequestPublisher implements Consumer<ScopeRequest>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScopeRequestPublisher.class);
    /** Bounds how many distinct scopes one process remembers having written (and so asks for). */
    private static final int MAX_REMEMBERED = 10_000;

    private final KafkaProducer<String, byte[]> producer;
    private final Set<String> sent = ConcurrentHashMap.newKeySet();

    public ScopeRequestPublisher(String bootstrap) {
        this.producer = KafkaClients.producer(bootstrap, "meshlog-scopes", 1000);
    }

    @Override
    public void accept(ScopeRequest request) {
        if (sent.size() >= MAX_REMEMBERED || !sent.add(request.key())) {
            return;
        }
        producer.send(new ProducerRecord<>(Topics.SCOPES, request.key(), request.encode()), (md, e) -> {
            if (e != null) {
                sent.remove(request.key());
                LOG.warn("scope request not written cluster={} scope={}: {}", request.cluster(), request.scope().id(),
                        e.toString());
            }
        });
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
