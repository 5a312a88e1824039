package meshlog.configstore.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a whole topic once, from the beginning to its end offsets as they are at call time, seeing only committed
 * transactions. Records of one partition come in log order.
 */
public final class TopicReader {

    private TopicReader() {
    }

    /**
     * Calls {@code onRecord} for every committed record below the end offsets taken at the start.
     *
     * @return how many records were passed on
     * @throws IllegalStateException if the topic does not exist or the end is not reached within {@code timeout}
     */
    public static long readToEnd(String bootstrap, String topic, String clientId, Duration timeout,
                                 Consumer<ConsumerRecord<String, byte[]>> onRecord) {
        return readToEnd(bootstrap, topic, clientId, timeout, Map.of(), onRecord);
    }

    /**
     * As above, but reading at least up to {@code atLeast}: a transaction its writer saw committed can still be
     * invisible for a moment (the commit marker is written after the commit is acknowledged).
     */
    public static long readToEnd(String bootstrap, String topic, String clientId, Duration timeout,
                                 Map<TopicPartition, Long> atLeast, Consumer<ConsumerRecord<String, byte[]>> onRecord) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = KafkaClients.committedReader(bootstrap, clientId)) {
            List<TopicPartition> partitions = assignFromBeginning(consumer, topic);
            Map<TopicPartition, Long> end = new java.util.HashMap<>(consumer.endOffsets(partitions));
            while (atLeast.entrySet().stream().anyMatch(e -> end.getOrDefault(e.getKey(), 0L) < e.getValue())
                    && System.nanoTime() < deadline) {
                sleep(10);
                end.putAll(consumer.endOffsets(partitions));
            }
            if (atLeast.entrySet().stream().anyMatch(e -> end.getOrDefault(e.getKey(), 0L) < e.getValue())) {
                throw new IllegalStateException("reading " + topic + ": committed records up to " + atLeast
                        + " are not visible within " + timeout);
            }
            long count = 0;
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " did not reach offsets " + end
                            + " within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        onRecord.accept(r);
                        count++;
                    }
                }
            }
            return count;
        }
    }

    /**
     * Calls {@code onRecord} for every committed record of a single-partition {@code topic} from offset
     * {@code from} up to (not including) {@code until}, or to the end as it is at call time when {@code until} is
     * negative or past it.
     *
     * @throws IllegalStateException if the topic does not exist or the range is not read within {@code timeout}
     */
    public static void readRange(String bootstrap, String topic, String clientId, Duration timeout, long from,
                                 long until, Consumer<ConsumerRecord<String, byte[]>> onRecord) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = KafkaClients.committedReader(bootstrap, clientId)) {
            List<TopicPartition> partitions = assignFromBeginning(consumer, topic);
            if (partitions.size() != 1) {
                throw new IllegalStateException("topic " + topic + " has " + partitions.size() + " partitions");
            }
            TopicPartition tp = partitions.get(0);
            long end = consumer.endOffsets(partitions).get(tp);
            long stop = until < 0 ? end : Math.min(until, end);
            consumer.seek(tp, Math.max(0, from));
            while (consumer.position(tp) < stop) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " did not reach offset " + stop
                            + " within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < stop) {
                        onRecord.accept(r);
                    }
                }
            }
        }
    }

    /** Assigns every partition of {@code topic} to {@code consumer}, positioned at the beginning. */
    static List<TopicPartition> assignFromBeginning(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .sorted(java.util.Comparator.comparingInt(TopicPartition::partition))
                .toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist (Topics.ensure creates it)");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }

    /** True when the consumer's position in every partition is at or past {@code end}. */
    static boolean reached(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
