package meshlog.discovery.k8s;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshlog.configstore.kafka.TopicReader;
import meshlog.configstore.kafka.Topics;

/** What {@code meshlog.endpoints} holds, read from the broker as any consumer would. */
final class EndpointsTopic {

    /** One record; {@code value} null for a tombstone. */
    record Rec(String key, String value) {
    }

    private EndpointsTopic() {
    }

    /** Every record, in log order per partition. */
    static List<Rec> records(String bootstrap) {
        List<Rec> out = new ArrayList<>();
        TopicReader.readToEnd(bootstrap, Topics.ENDPOINTS, "test-endpoints", Duration.ofSeconds(20), r ->
                out.add(new Rec(r.key(), r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8))));
        return out;
    }

    /** The latest value of each key starting with {@code prefix}, tombstoned keys left out (as compaction will). */
    static Map<String, String> latest(String bootstrap, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Rec r : records(bootstrap)) {
            if (r.key().startsWith(prefix)) {
                if (r.value() == null) {
                    out.remove(r.key());
                } else {
                    out.put(r.key(), r.value());
                }
            }
        }
        return out;
    }
}
