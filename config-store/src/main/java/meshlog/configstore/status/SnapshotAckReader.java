package meshlog.configstore.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import meshlog.configstore.kafka.KafkaClients;
import meshlog.configstore.kafka.TopicReader;
import meshlog.configstore.kafka.Topics;

/** Reads every {@link SnapshotAck} still held by {@code meshlog.proxy-acks}: what {@code meshlog audit} counts. */
public final class SnapshotAckReader {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private SnapshotAckReader() {
    }

    /**
     * Every record in time order (then cluster, proxy); a record this version cannot read is left out and described
     * in {@code notes}, and so is a log without the topic.
     */
    public static List<SnapshotAck> readAll(String bootstrap, List<String> notes) {
        List<SnapshotAck> out = new ArrayList<>();
        try (var consumer = KafkaClients.committedReader(bootstrap, "meshlog-proxy-acks-probe")) {
            if (consumer.partitionsFor(Topics.PROXY_ACKS).isEmpty()) {
                notes.add("this log has no " + Topics.PROXY_ACKS + " topic (written before ACKs were recorded;"
                        + " meshlog up creates it): no ACK/NACK counts");
                return out;
            }
        }
        TopicReader.readToEnd(bootstrap, Topics.PROXY_ACKS, "meshlog-proxy-acks-reader", READ_TIMEOUT, r -> {
            try {
                out.add(SnapshotAck.decode(r.value()));
            } catch (IllegalArgumentException | NullPointerException e) {
                notes.add("a proxy ACK record this meshlog cannot read (partition " + r.partition() + " offset "
                        + r.offset() + ": " + e.getMessage() + ")");
            }
        });
        out.sort(Comparator.comparing(SnapshotAck::time).thenComparing(SnapshotAck::cluster)
                .thenComparing(SnapshotAck::proxyId));
        return out;
    }
}
