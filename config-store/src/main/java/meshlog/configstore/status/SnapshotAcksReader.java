package meshlog.configstore.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import meshlog.configstore.kafka.KafkaClients;
import meshlog.configstore.kafka.TopicReader;
import meshlog.configstore.kafka.Topics;

/** Reads every {@link SnapshotAcks} still held by {@code meshlog.proxy-acks}: what {@code meshlog audit} folds. */
public final class SnapshotAcksReader {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private SnapshotAcksReader() {
    }

    /**
     * Every record, in no particular order (the fold sums them); a record this version cannot read is left out and
     * described in {@code notes}, and so is a log without the topic.
     */
    public static List<SnapshotAcks> readAll(String bootstrap, List<String> notes) {
        List<SnapshotAcks> out = new ArrayList<>();
        try (var consumer = KafkaClients.committedReader(bootstrap, "meshlog-proxy-acks-probe")) {
            if (consumer.partitionsFor(Topics.PROXY_ACKS).isEmpty()) {
                notes.add("this log has no " + Topics.PROXY_ACKS + " topic (written before ACKs were recorded;"
                        + " meshlog up creates it): no ACK/NACK counts");
                return out;
            }
        }
        TopicReader.readToEnd(bootstrap, Topics.PROXY_ACKS, "meshlog-proxy-acks-reader", READ_TIMEOUT, r -> {
            try {
                out.add(SnapshotAcks.decode(r.value()));
            } catch (IllegalArgumentException | NullPointerException e) {
                notes.add("a proxy ACK record this meshlog cannot read (partition " + r.partition() + " offset "
                        + r.offset() + ": " + e.getMessage() + ")");
            }
        });
        return out;
    }
}
