package meshlog.configstore.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which partitions of a topic this process owns, as a Kafka consumer group decides among the processes that ask:
 * each partition owned by one member at a time, a new member given its share, a dead member's share moved to the
 * others once its session times out. The topic carries no records; it only gives the group something to divide.
 *
 * <p>Ownership is advisory: a member that stalls past its session may still believe it owns what was moved. Writers
 * must therefore fence as well, with a transactional id per partition, so the new owner's first write stops the old
 * one's (Kafka Streams does the same). The listener runs on this class's thread; {@code revoked} must return only
 * once the caller has stopped using those partitions, because the group gives them away when it returns.
 */
public final class PartitionOwnership implements AutoCloseable {

    /** What is told of changes; both run on the ownership thread, never at once. */
    public interface Listener {
        void assigned(Set<Integer> partitions);

        /** The partitions are given away when this returns: stop writing for them first. */
        void revoked(Set<Integer> partitions);
    }

    /** Kafka brokers refuse a session shorter than their {@code group.min.session.timeout.ms} (6 s by default). */
    static final Duration SESSION = Duration.ofSeconds(6);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Logger LOG = LoggerFactory.getLogger(PartitionOwnership.class);

    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Listener listener;
    private final Thread thread;
    private final Set<Integer> owned = new TreeSet<>();
    private volatile Set<Integer> ownedView = Set.of();
    private volatile boolean joined;
    private volatile boolean running = true;
    private volatile Throwable failure;

    private PartitionOwnership(String topic, KafkaConsumer<String, byte[]> consumer, Listener listener, String name) {
        this.topic = topic;
        this.consumer = consumer;
        this.listener = listener;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /**
     * Joins {@code group} on {@code topic} (which must exist) and keeps the membership alive on a daemon thread.
     *
     * @param name names the thread and the client in logs and in the group's member list
     */
    public static PartitionOwnership start(String bootstrap, String topic, String group, String name,
                                           Listener listener) {
        // Heartbeats every session/6 (1 s), cooperative sticky: a member joining does not move owned partitions.
        KafkaConsumer<String, byte[]> consumer = KafkaClients.groupMember(bootstrap, group,
                KafkaClients.uniqueId(name), (int) SESSION.toMillis());
        PartitionOwnership o = new PartitionOwnership(topic, consumer, listener, name);
        o.thread.start();
        return o;
    }

    /** The partitions owned now (empty before the first assignment). */
    public Set<Integer> owned() {
        return ownedView;
    }

    /** True once the group has assigned this member its share at least once (possibly none). */
    public boolean joined() {
        return joined;
    }

    /** Why membership stopped on its own (a listener exception or an unrecoverable client error), or null. */
    public Throwable failure() {
        return failure;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    give(partitions, "revoked");
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    give(partitions, "lost");
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    Set<Integer> added = numbers(partitions);
                    owned.addAll(added);
                    ownedView = Set.copyOf(owned);
                    joined = true;
                    if (!added.isEmpty()) {
                        LOG.info("{} owns {} of {} now: {}", thread.getName(), added, topic, owned);
                        listener.assigned(added);
                    }
                }
            });
            while (running) {
                consumer.poll(POLL); // the topic is empty: polling only keeps the membership alive
            }
        } catch (WakeupException e) {
            // close() asked to stop
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("{} stopped owning partitions of {}: {}", thread.getName(), topic, e.toString());
            give(consumer.assignment(), "lost");
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5))); // leaves the group: others take over now
        }
    }

    private void give(Collection<TopicPartition> partitions, String how) {
        Set<Integer> gone = numbers(partitions);
        gone.retainAll(owned);
        if (gone.isEmpty()) {
            return;
        }
        LOG.info("{} {} {} of {}", thread.getName(), how, gone, topic);
        // owned() says so before the listener runs: whatever the caller starts after that leaves them alone.
        owned.removeAll(gone);
        ownedView = Set.copyOf(owned);
        listener.revoked(gone);
    }

    private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
        Set<Integer> out = new TreeSet<>();
        partitions.forEach(p -> out.add(p.partition()));
        return out;
    }

    /** Leaves the group (the others take this member's partitions at once) and stops the thread. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
