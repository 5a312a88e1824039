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
     * The settings of a member of consumer group {@code group} that owns partitions rather than reading them
     * ({@link PartitionOwnership}): no offsets committed, bounded timeouts; the caller sets the session.
     */
    static Map<String, Object> groupMember(String bootstrap, String clientId, String group) {
        Map<String, Object> c = base(bootstrap);
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, uniqueId(clientId));
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        c.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, MAX_BLOCK_MS);
        c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, MAX_BLOCK_MS);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return c;
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

    private static String uniqueId(String clientId) {
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
