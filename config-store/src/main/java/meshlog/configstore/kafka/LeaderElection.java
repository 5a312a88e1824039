package meshlog.configstore.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leader among the processes that share a Kafka consumer group: the member the group assigns {@code partition}
 * to leads (a topic of one partition, so exactly one member holds it). A member that dies is out of the group after
 * the session timeout and the partition goes to another; a member that stops cleanly leaves at once.
 *
 * <p>The group only decides who should write; it cannot stop a member that does not know yet that it was deposed (a
 * long pause, a partition from the coordinator). What makes two writers impossible is the leader's transactional
 * writer: opening it in {@link Leadership#begin()} fences every older writer of the same transactional id, so a
 * deposed leader's next commit fails. The partition is paused: the member never fetches from it.
 *
 * <p>One thread ("leader-election") polls the group; {@link Leadership#begin()} and {@link Leadership#end} run on it,
 * one at a time, so a term ends before the next can begin in this process.
 */
public final class LeaderElection implements AutoCloseable {

    /** What leading means to the caller. */
    public interface Leadership {
        /** Starts leading. Throws if it cannot now; it is tried again every second while the partition is held. */
        void begin();

        /** Stops leading; nothing may be written once it returns. */
        void end(String why);
    }

    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long DESCRIBE_EVERY_MS = 2_000;
    private static final long RETRY_MS = 1_000;

    private final String bootstrap;
    private final String groupId;
    private final String identity;
    private final TopicPartition partition;
    private final int sessionTimeoutMs;
    private final Leadership leadership;
    private final Thread thread;
    private final AtomicReference<String> stepDown = new AtomicReference<>();
    private volatile KafkaConsumer<String, byte[]> consumer; // used by the election thread alone (wakeup aside)
    private volatile boolean closed;
    private volatile boolean joined;
    private volatile boolean owns;
    private volatile boolean leading;
    private volatile String leader;
    private volatile String failure;
    private volatile Instant since;
    private long retryAt; // the election thread's

    private LeaderElection(String bootstrap, String groupId, String identity, TopicPartition partition,
            Duration sessionTimeout, Leadership leadership) {
        this.bootstrap = bootstrap;
        this.groupId = groupId;
        this.identity = identity;
        this.partition = partition;
        this.sessionTimeoutMs = Math.toIntExact(sessionTimeout.toMillis());
        this.leadership = leadership;
        this.thread = new Thread(this::run, "leader-election");
        thread.setDaemon(true);
    }

    /**
     * An election in which this process will join {@code groupId} as {@code identity} (the client id, which the
     * group's description shows) and compete for {@code partition}, once {@link #start()}ed.
     */
    public static LeaderElection of(String bootstrap, String groupId, String identity, TopicPartition partition,
            Duration sessionTimeout, Leadership leadership) {
        return new LeaderElection(bootstrap, groupId, identity, partition, sessionTimeout, leadership);
    }

    /** Joins the group; {@link Leadership#begin()} runs when this member is assigned the partition. */
    public LeaderElection start() {
        thread.start();
        return this;
    }

    /** Whether this member leads: it holds the partition and {@link Leadership#begin()} succeeded. */
    public boolean leading() {
        return leading;
    }

    /** Whether this member holds the partition (it leads, or its {@code begin} failed and is being retried). */
    public boolean elected() {
        return owns;
    }

    /** Whether this member has joined the group at least once: it can take over. */
    public boolean joined() {
        return joined;
    }

    /** The leader's identity as last seen (this member's when it leads; the group's description otherwise), or null. */
    public String leader() {
        return leading ? identity : leader;
    }

    /** When this member began leading, or null. */
    public Instant leadingSince() {
        return leading ? since : null;
    }

    public String identity() {
        return identity;
    }

    public String groupId() {
        return groupId;
    }

    /** Why the group or {@code begin} last failed, or null. */
    public String failure() {
        return failure;
    }

    /**
     * Gives the partition up (ending the term at once) and joins again as a candidate: for a leader whose writer was
     * fenced, which must not write, and may get the partition again only through a new term (a new writer).
     */
    public void stepDown(String why) {
        stepDown.set(why);
        if (consumer != null) {
            consumer.wakeup();
        }
    }

    /** Runs the election until closed; an unexpected failure of the client starts it again with a new one. */
    private void run() {
        while (!closed) {
            try (Admin admin = KafkaClients.admin(bootstrap)) {
                consumer = KafkaClients.groupMember(bootstrap, groupId, identity, sessionTimeoutMs);
                try {
                    consumer.subscribe(List.of(partition.topic()), listener);
                    loop(admin);
                } finally {
                    relinquish(closed ? "stopping" : "the election client failed");
                    consumer.close(Duration.ofSeconds(5)); // leaves the group: another member is assigned at once
                }
            } catch (RuntimeException e) {
                noteFailure("leader election of group " + groupId + " failed, joining again: " + e);
                sleep(RETRY_MS);
            }
        }
    }

    private void loop(Admin admin) {
        long nextDescribe = 0;
        while (!closed) {
            try {
                String why = stepDown.getAndSet(null);
                if (why != null) {
                    LOG.warn("{} steps down in group {}: {}", identity, groupId, why);
                    consumer.unsubscribe(); // ends the term (revoked), before any other member can be assigned
                    relinquish(why);
                    consumer.subscribe(List.of(partition.topic()), listener);
                }
                consumer.poll(POLL);
                if (failure != null && !owns) {
                    failure = null;
                }
            } catch (WakeupException woken) {
                continue; // stepDown or close
            } catch (KafkaException e) {
                noteFailure("group " + groupId + ": " + e);
                sleep(RETRY_MS);
            }
            long now = System.currentTimeMillis();
            if (owns && !leading && now >= retryAt) {
                tryBegin();
            }
            if (now >= nextDescribe) {
                nextDescribe = now + DESCRIBE_EVERY_MS;
                describe(admin);
            }
        }
    }

    private final ConsumerRebalanceListener listener = new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            joined = true;
            if (assigned.contains(partition)) {
                consumer.pause(List.of(partition));
                owns = true;
                tryBegin();
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            if (revoked.contains(partition)) {
                relinquish("the group gave the partition to another member");
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            if (lost.contains(partition)) {
                relinquish("this member's session in the group expired (another may lead already)");
            }
        }
    };

    private void tryBegin() {
        retryAt = System.currentTimeMillis() + RETRY_MS;
        long t0 = System.nanoTime();
        try {
            leadership.begin();
            since = Instant.now();
            leading = true;
            leader = identity;
            failure = null;
            LOG.info("{} leads group {} (term began in {} ms)", identity, groupId,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        } catch (RuntimeException e) {
            noteFailure("holds the partition of group " + groupId + " but cannot lead yet: " + e);
        }
    }

    private void relinquish(String why) {
        owns = false;
        if (leading) {
            leading = false;
            leader = null;
            leadership.end(why);
            LOG.info("{} no longer leads group {}: {}", identity, groupId, why);
        }
    }

    /** Learns who holds the partition, for a member that does not: the group's description names it. */
    private void describe(Admin admin) {
        if (leading) {
            return;
        }
        try {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(groupId)).all()
                    .get(2, TimeUnit.SECONDS).get(groupId);
            String holder = null;
            for (MemberDescription m : d.members()) {
                if (m.assignment().topicPartitions().contains(partition)) {
                    holder = m.clientId();
                }
            }
            leader = holder;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            leader = null;
        }
    }

    private void noteFailure(String f) {
        if (!f.equals(failure)) {
            LOG.warn("{}", f);
        }
        failure = f;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the term (if leading), then leaves the group, so another member takes over without waiting. */
    @Override
    public void close() {
        closed = true;
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
