package meshlog.discovery.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import meshlog.configstore.kafka.TopicReader;
import meshlog.configstore.kafka.Topics;
import meshlog.configstore.kafka.TransactionalWriter;
import meshlog.discovery.EndpointsDiff;
import meshlog.configstore.endpoints.EndpointKeys;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes one cluster's records to {@code meshlog.endpoints}: only those that changed, and a tombstone for each key
 * the cluster no longer has, in one transaction ({@code transactional.id = meshlog-discovery-<cluster>}, so a
 * second discovery of the same cluster fences the first instead of interleaving with it). It learns what the topic
 * holds for its cluster by reading it on the first publish and after a failed one, so a restart neither rewrites
 * every record nor forgets to tombstone a service deleted while it was down.
 */
public final class EndpointsPublisher implements AutoCloseable {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrap;
    private final String cluster;
    private final TransactionalWriter writer;
    /** Key → value as the topic holds it for this cluster; null until read, and after a failed write. */
    private Map<String, byte[]> published;

    public EndpointsPublisher(String bootstrap, String cluster) {
        this.bootstrap = bootstrap;
        this.cluster = cluster;
        this.writer = new TransactionalWriter(bootstrap, "meshlog-discovery-" + cluster);
    }

    /**
     * Makes {@code wanted} the cluster's records on the topic.
     *
     * @return the writes made (empty when the topic already held exactly {@code wanted})
     * @throws meshlog.configstore.kafka.LogWriteException if the transaction was not committed
     */
    public synchronized List<EndpointsDiff.Write> publish(SortedMap<String, byte[]> wanted) {
        if (published == null) {
            writer.settle();
            published = read();
        }
        List<EndpointsDiff.Write> writes = EndpointsDiff.between(published, wanted);
        if (writes.isEmpty()) {
            return writes;
        }
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(writes.size());
        writes.forEach(w -> records.add(new ProducerRecord<>(Topics.ENDPOINTS, w.key(), w.value())));
        Map<String, byte[]> before = published;
        published = null; // unknown until the commit says otherwise
        writer.write(records);
        Map<String, byte[]> after = new HashMap<>(before);
        writes.forEach(w -> {
            if (w.tombstone()) {
                after.remove(w.key());
            } else {
                after.put(w.key(), w.value());
            }
        });
        published = after;
        return writes;
    }

    /** The cluster's records as last published (or read), key → value. */
    public synchronized Map<String, byte[]> published() {
        return published == null ? Map.of() : Map.copyOf(published);
    }

    private Map<String, byte[]> read() {
        String prefix = EndpointKeys.clusterPrefix(cluster);
        Map<String, byte[]> held = new HashMap<>();
        TopicReader.readToEnd(bootstrap, Topics.ENDPOINTS, "meshlog-discovery-read", READ_TIMEOUT, r -> {
            if (r.key() != null && r.key().startsWith(prefix)) {
                if (r.value() == null) {
                    held.remove(r.key());
                } else {
                    held.put(r.key(), r.value());
                }
            }
        });
        return held;
    }

    @Override
    public void close() {
        writer.close();
    }
}
