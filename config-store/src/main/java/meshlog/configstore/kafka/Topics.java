package meshlog.configstore.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * meshlog's Kafka topics and their policies (DESIGN.md, "Kafka topics"). Replication is the registered
 * {@link KafkaSettings}' factor, or the cluster's {@code default.replication.factor}.
 */
public final class Topics {

    /** The audit log: one event per record, key = repo id; never deleted by age or size. */
    public static final String CONFIG_EVENTS = "meshlog.config-events";
    /**
     * Compacted: what a cluster's discovery found, key {@code cluster/namespace/service} (a service, its endpoints)
     * or {@code cluster/namespace/_workloads} (the namespace's workloads); a tombstone removes it.
     */
    public static final String ENDPOINTS = "meshlog.endpoints";
    /** Scope snapshots: blob chunks (cluster/_blob/sha256/i/n) and scope pointers (cluster/scope/_manifest); compacted. */
    public static final String SNAPSHOTS = "meshlog.snapshots";
    /** Last ACK/NACK per proxy, key = cluster/proxyId; compacted. */
    public static final String PROXY_STATUS = "meshlog.proxy-status";
    /**
     * The ACKs and NACKs of scope snapshot versions, aggregated per version per distributor per flush
     * ({@link meshlog.configstore.status.SnapshotAcks}), key = cluster/scope: append-only, deleted after
     * {@link #PROXY_ACKS_RETENTION_DAYS} days (it grows with versions times distributors, not with proxies).
     */
    public static final String PROXY_ACKS = "meshlog.proxy-acks";
    public static final int PROXY_ACKS_RETENTION_DAYS = 30;
    /** Compacted, key {@code <cluster>/<scope id>}: the proxy scopes distributors have seen, for the reconciler. */
    public static final String SCOPES = "meshlog.scopes";

    /** One {@code SnapshotPublished} record per publication, key = cluster; kept forever (the publish audit). */
    public static final String PUBLICATIONS = "meshlog.publications";
    /**
     * Compacted, keys as the snapshots topic's blob chunks ({@code cluster/_blob/sha256/i/n}), never tombstoned: the
     * manifests and resources every recorded publication names, so a past snapshot can still be shown.
     */
    public static final String SNAPSHOT_HISTORY = "meshlog.snapshot-history";

    /**
     * No records: its {@link #RECONCILER_SHARD_COUNT} partitions are what the reconcilers' consumer group divides
     * among its members, each partition standing for the clusters that hash to it ({@link PartitionOwnership}).
     */
    public static final String RECONCILER_SHARDS = "meshlog.reconciler-shards";
    /** Shards of the clusters: at most this many reconcilers share the work (more stand by). */
    public static final int RECONCILER_SHARD_COUNT = 12;

    public static final List<String> ALL = List.of(CONFIG_EVENTS, ENDPOINTS, SNAPSHOTS, PROXY_STATUS, PUBLICATIONS,
            SNAPSHOT_HISTORY, RECONCILER_SHARDS, PROXY_ACKS);

    /**
     * Topics whose readers rely on one total order: config events (commit order) and snapshots (a pointer must
     * follow its blobs; one partition is enough for now, a cluster-keyed partitioner would lift it).
     */
    static final Set<String> SINGLE_PARTITION = Set.of(CONFIG_EVENTS, SNAPSHOTS, PUBLICATIONS, SNAPSHOT_HISTORY);

    private static final Logger LOG = LoggerFactory.getLogger(Topics.class);
    private static final long METADATA_RETRY_MS = 50;

    private Topics() {
    }

    /** The topics as they should be created, with the defaults' replication and partitions. */
    static List<NewTopic> specs() {
        return specs(KafkaSettings.DEFAULTS);
    }

    /** The topics as they should be created: replication factor and keyed partitions from {@code s}. */
    static List<NewTopic> specs(KafkaSettings s) {
        Map<String, String> compact = Map.of("cleanup.policy", "compact");
        Map<String, String> forever = Map.of("cleanup.policy", "delete", "retention.ms", "-1", "retention.bytes", "-1");
        Optional<Short> rf = s.replicationFactor();
        Optional<Integer> one = Optional.of(1);
        Optional<Integer> keyed = Optional.of(s.keyedPartitions());
        return List.of(
                new NewTopic(CONFIG_EVENTS, one, rf).configs(forever),
                new NewTopic(ENDPOINTS, keyed, rf).configs(compact),
                new NewTopic(SNAPSHOTS, one, rf).configs(compact),
                new NewTopic(PROXY_STATUS, keyed, rf).configs(compact),
                new NewTopic(SCOPES, one, rf).configs(compact),
                new NewTopic(PUBLICATIONS, one, rf).configs(forever),
                new NewTopic(SNAPSHOT_HISTORY, one, rf).configs(compact),
                new NewTopic(RECONCILER_SHARDS, Optional.of(RECONCILER_SHARD_COUNT), rf).configs(compact),
                new NewTopic(PROXY_ACKS, keyed, rf).configs(Map.of("cleanup.policy", "delete", "retention.bytes", "-1",
                        "retention.ms", Long.toString(java.time.Duration.ofDays(PROXY_ACKS_RETENTION_DAYS).toMillis()))));
    }

    /**
     * Creates whichever of the four topics is missing and returns once the broker serves all four. Idempotent and
     * safe to race with another process doing the same.
     *
     * @throws IllegalStateException if the broker cannot be reached within seconds, or an existing config-events or
     *                               snapshots topic has more than one partition (its readers need a total order)
     */
    public static void ensure(String bootstrap) {
        try (Admin admin = KafkaClients.admin(bootstrap)) {
            Set<String> existing = get(admin.listTopics().names());
            List<NewTopic> missing = new ArrayList<>();
            KafkaSettings settings = KafkaClients.settings(bootstrap);
            for (NewTopic t : specs(settings)) {
                if (!existing.contains(t.name())) {
                    missing.add(t);
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).values().forEach((name, f) -> createdOrExists(name, f));
            }
            awaitAndCheck(admin, settings);
        }
    }

    private static void createdOrExists(String name, KafkaFuture<Void> f) {
        try {
            get(f);
            LOG.info("created topic {}", name);
        } catch (IllegalStateException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /**
     * Waits (bounded) until the broker serves metadata for every topic (a topic just created may not be visible
     * yet), then checks the partition counts that readers rely on.
     */
    private static void awaitAndCheck(Admin admin, KafkaSettings settings) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KafkaClients.MAX_BLOCK_MS);
        Map<String, TopicDescription> described;
        while (true) {
            try {
                described = get(admin.describeTopics(ALL).allTopicNames());
                break;
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(METADATA_RETRY_MS);
            }
        }
        for (String name : SINGLE_PARTITION) {
            int n = described.get(name).partitions().size();
            if (n != 1) {
                throw new IllegalStateException("topic " + name + " has " + n
                        + " partitions; meshlog needs exactly 1 (its records must be read in one total order)");
            }
        }
        int shards = described.get(RECONCILER_SHARDS).partitions().size();
        if (shards != RECONCILER_SHARD_COUNT) {
            throw new IllegalStateException("topic " + RECONCILER_SHARDS + " has " + shards + " partitions; meshlog"
                    + " needs exactly " + RECONCILER_SHARD_COUNT + " (a cluster's shard is its name's hash modulo "
                    + RECONCILER_SHARD_COUNT + "); delete the topic and meshlog creates it again");
        }
        checkRetention(admin);
        checkCompacted(admin);
        Map<String, TopicDescription> all = described;
        settings.replicationFactor().ifPresent(rf -> all.forEach((name, d) -> {
            int has = d.partitions().get(0).replicas().size();
            if (has < rf) {
                LOG.warn("topic {} has replication factor {}, fewer than the {} asked for (it existed already;"
                        + " raise it with kafka-reassign-partitions)", name, has, rf);
            }
        }));
    }

    /**
     * The two audit topics must keep every record: compacted, the log would keep one event per repository; with a
     * retention, it would forget the history {@code audit} and {@code state --at} read.
     */
    private static void checkRetention(Admin admin) {
        List<ConfigResource> audit = List.of(new ConfigResource(ConfigResource.Type.TOPIC, CONFIG_EVENTS),
                new ConfigResource(ConfigResource.Type.TOPIC, PUBLICATIONS));
        Map<ConfigResource, Config> configs = get(admin.describeConfigs(audit).all());
        for (ConfigResource r : audit) {
            Config c = configs.get(r);
            String policy = value(c, "cleanup.policy");
            if (policy != null && policy.contains("compact")) {
                throw new IllegalStateException("topic " + r.name() + " has cleanup.policy=" + policy
                        + "; meshlog needs delete with retention.ms=-1 (compaction would keep one event per key)");
            }
            String retention = value(c, "retention.ms");
            if (retention != null && !retention.equals("-1")) {
                LOG.warn("topic {} has retention.ms={}: the audit log forgets records older than that; meshlog"
                        + " creates it with -1 (kept forever)", r.name(), retention);
            }
        }
    }

    /**
     * Readers of the endpoints topic keep the latest record per key: with a delete policy, a service that did not
     * change for {@code retention.ms} would lose its only record and disappear from the mesh.
     */
    private static void checkCompacted(Admin admin) {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, ENDPOINTS);
        String policy = value(get(admin.describeConfigs(List.of(r)).all()).get(r), "cleanup.policy");
        if (policy != null && !policy.contains("compact")) {
            throw new IllegalStateException("topic " + ENDPOINTS + " has cleanup.policy=" + policy + "; meshlog needs"
                    + " compact (with delete, a service unchanged for retention.ms would lose its only record)");
        }
    }

    private static String value(Config c, String name) {
        ConfigEntry e = c == null ? null : c.get(name);
        return e == null ? null : e.value();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static <T> T get(KafkaFuture<T> f) {
        try {
            return f.get(KafkaClients.MAX_BLOCK_MS + 1000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka admin request failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka admin request timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
