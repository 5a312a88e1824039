package meshlog.reconciler.plan;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import meshlog.configstore.kafka.Topics;
import org.apache.kafka.common.utils.Utils;

/**
 * Which clusters one reconciler computes: a cluster belongs to shard {@code murmur2(name) mod count} (Kafka's own
 * key partitioning, so the owner of a cluster can be worked out with Kafka's tools), and a reconciler computes the
 * clusters of the shards its consumer group gave it.
 *
 * @param count the number of shards
 * @param owned the shards this reconciler owns
 */
public record Shards(int count, Set<Integer> owned) {

    /** Every shard: a reconciler alone, or a test. */
    public static final Shards ALL = all(Topics.RECONCILER_SHARD_COUNT);

    public Shards {
        if (count < 1) {
            throw new IllegalArgumentException("at least one shard");
        }
        owned = Set.copyOf(owned);
        for (int s : owned) {
            if (s < 0 || s >= count) {
                throw new IllegalArgumentException("shard " + s + " is not one of 0.." + (count - 1));
            }
        }
    }

    public static Shards all(int count) {
        Set<Integer> every = new java.util.TreeSet<>();
        for (int i = 0; i < count; i++) {
            every.add(i);
        }
        return new Shards(count, every);
    }

    /** The shard {@code cluster} belongs to. */
    public static int of(String cluster, int count) {
        return Utils.toPositive(Utils.murmur2(cluster.getBytes(StandardCharsets.UTF_8))) % count;
    }

    public boolean owns(String cluster) {
        return owned.contains(of(cluster, count));
    }
}
