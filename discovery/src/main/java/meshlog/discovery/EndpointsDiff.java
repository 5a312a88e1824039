package meshlog.discovery;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * What to write to {@code meshlog.endpoints} for one cluster (pure): the records whose bytes changed or are new,
 * then a tombstone for every published key the cluster no longer has. Nothing when nothing changed.
 */
public final class EndpointsDiff {

    /** One write: a value, or a tombstone when {@code value} is null. */
    public record Write(String key, byte[] value) {
        public boolean tombstone() {
            return value == null;
        }
    }

    private EndpointsDiff() {
    }

    public static List<Write> between(Map<String, byte[]> published, SortedMap<String, byte[]> wanted) {
        List<Write> writes = new ArrayList<>();
        wanted.forEach((k, v) -> {
            if (!Arrays.equals(published.get(k), v)) {
                writes.add(new Write(k, v));
            }
        });
        published.keySet().stream().filter(k -> !wanted.containsKey(k)).sorted()
                .forEach(k -> writes.add(new Write(k, null)));
        return writes;
    }
}
