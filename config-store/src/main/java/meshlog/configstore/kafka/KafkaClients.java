package meshlog.configstore.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The client settings every meshlog Kafka edge shares: string keys, byte values, and timeouts bounded so that an
 * unreachable broker gives an error within seconds instead of a hang; plus, per broker, the security settings of
 * {@link KafkaSettings}.
 */
public final class KafkaClients {

    /** Longest a send, a transaction call or a metadata look-up may block before it fails. */
    public static final int MAX_BLOCK_MS = 10_000;

    /** Client ids must be unique in a JVM (Kafka registers an MBean per client), so each gets a sequence number. */
    private static final AtomicInteger SEQ = new AtomicInteger();

    /**
     * Settings by bootstrap address. Registered once by the edge that read {@code --kafka-config}, then found by
     * every client of that address: the edges all take an address alone, and threading a settings object through
     * each of them would change every component's signature for what is one fact per broker.
     */
    private static final Map<String, KafkaSettings> SETTINGS = new ConcurrentHashMap<>();

    private KafkaClients() {
    }

    /** Every client of {@code bootstrap} created from now on uses {@code settings}. */
    public static void register(String bootstrap, KafkaSettings settings) {
        SETTINGS.put(bootstrap, settings);
    }

    /** The settings registered for {@code bootstrap}, or the defaults. */
    public static KafkaSettings settings(String bootstrap) {
        return SETTINGS.getOrDefault(bootstrap, KafkaSettings.DEFAULTS);
    }

    private static Map<String, Object> base(String bootstrap) {
        return new HashMap<>(settings(bootstrap).clientProperties());
    }

    /** A transactional producer (idempotent, acks=all); {@code initTransactions()} is left to the caller. */
    public static KafkaProducer<String, byte[]> transactionalProducer(String bootstrap, String transactionalId) {
        Map<String, Object> c = producerConfig(bootstrap, transactionalId);
        c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return new KafkaProducer<>(c, new StringSerializer(), new ByteArraySerializer());
    }

    /** An idempotent, non-transactional producer whose {@code send} blocks for at most {@code maxBlockMs}. */
    public static KafkaProducer<String, byte[]> producer(String bootstrap, String clientId, int maxBlockMs) {
        Map<String, Object> c = producerConfig(bootstrap, clientId);
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlockMs);
        return new KafkaProducer<>(c, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * A consumer without a group (callers {@code assign} and {@code seek}), reading only committed transactions.
     * Fetches return as soon as data is there, and wait at most 100 ms otherwise.
     */
    public static KafkaConsumer<String, byte[]> committedReader(String bootstrap, String clientId) {
        Map<String, Object> c = base(bootstrap);
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, uniqueId(clientId));
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        c.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, MAX_BLOCK_MS);
        c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, MAX_BLOCK_MS);
        return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A member of consumer group {@code groupId} (classic protocol, cooperative-sticky assignment) that commits no
     * offsets: for leadership, not for reading. {@code clientId} is kept as given, so the group's description names
     * each member by it. A member that stops heartbeating is out of the group after {@code sessionTimeoutMs} (the
     * broker's {@code group.min.session.timeout.ms}, 6 s by default, is the lowest it accepts).
     */
    public static KafkaConsumer<String, byte[]> groupMember(String bootstrap, String groupId, String clientId,
            int sessionTimeoutMs) {
        // One factory for both kinds of membership: git-sync's leader election and the reconcilers' shard ownership.
        Map<String, Object> c = base(bootstrap);
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // The classic protocol takes the session timeout from the client; the consumer protocol (KIP-848) only from
        // the broker's group configuration, 45 s by default.
        c.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        // Sticky and cooperative: a member joining does not move the partition, nor revoke it from its owner.
        c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, sessionTimeoutMs);
        c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(100, sessionTimeoutMs / 6));
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, MAX_BLOCK_MS);
        c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, MAX_BLOCK_MS);
        return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** An admin client with bounded request and API timeouts. */
    public static Admin admin(String bootstrap) {
        Map<String, Object> c = base(bootstrap);
        c.putAll(Map.of(
                "bootstrap.servers", bootstrap,
                "client.id", uniqueId("meshlog-admin"),
                "request.timeout.ms", MAX_BLOCK_MS,
                "default.api.timeout.ms", MAX_BLOCK_MS));
        return Admin.create(c);
    }

    static String uniqueId(String clientId) {
        return clientId + "-" + SEQ.incrementAndGet();
    }

    private static Map<String, Object> producerConfig(String bootstrap, String clientId) {
        Map<String, Object> c = base(bootstrap);
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ProducerConfig.CLIENT_ID_CONFIG, uniqueId(clientId));
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, MAX_BLOCK_MS);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3 * MAX_BLOCK_MS);
        return c;
    }
}
