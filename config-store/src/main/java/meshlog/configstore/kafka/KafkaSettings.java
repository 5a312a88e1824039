package meshlog.configstore.kafka;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import meshlog.configstore.LogSafe;

/**
 * How to use one Kafka beyond its address: the client properties of {@code --kafka-config} (TLS, SASL), and how
 * meshlog's topics are created there (replication factor, partitions of the keyed topics).
 *
 * @param clientProperties added to every producer, consumer and admin client; only security and connection keys
 *                         (see {@link #ALLOWED}): what meshlog sets itself (ids, isolation, idempotence,
 *                         serializers, timeouts) is not the user's to change, as the log's guarantees rest on it
 * @param replicationFactor empty: the cluster's {@code default.replication.factor}
 * @param keyedPartitions partitions of the topics read per key (endpoints, proxy status) when they are created
 */
public record KafkaSettings(Map<String, String> clientProperties, Optional<Short> replicationFactor,
                            int keyedPartitions) {

    public static final KafkaSettings DEFAULTS = new KafkaSettings(Map.of(), Optional.empty(), 3);

    /** A properties file larger than this is refused: it holds a few keys and PEM paths, not data. */
    static final int MAX_FILE_BYTES = 64 * 1024;

    /** Keys a {@code --kafka-config} file may set: exact names, or prefixes ending in a dot. */
    static final List<String> ALLOWED = List.of("security.protocol", "sasl.", "ssl.", "client.dns.lookup",
            "socket.connection.setup.timeout.ms", "socket.connection.setup.timeout.max.ms", "reconnect.backoff.ms",
            "reconnect.backoff.max.ms", "retry.backoff.ms", "retry.backoff.max.ms", "metadata.max.age.ms",
            "connections.max.idle.ms", "receive.buffer.bytes", "send.buffer.bytes");

    public KafkaSettings {
        clientProperties = Map.copyOf(clientProperties);
        if (replicationFactor.isPresent() && replicationFactor.get() < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1, got " + replicationFactor.get());
        }
        if (keyedPartitions < 1 || keyedPartitions > 1000) {
            throw new IllegalArgumentException("keyed topic partitions must be 1..1000, got " + keyedPartitions);
        }
    }

    /**
     * Reads a Java properties file of Kafka client settings.
     *
     * @throws IllegalArgumentException naming the file and the key, for a key meshlog does not pass on
     */
    public static Map<String, String> readClientProperties(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new IllegalArgumentException(file + ": " + size + " bytes; a Kafka client config is at most "
                    + MAX_FILE_BYTES);
        }
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        Map<String, String> out = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (ALLOWED.stream().noneMatch(a -> a.endsWith(".") ? key.startsWith(a) : key.equals(a))) {
                throw new IllegalArgumentException(file + ": key " + LogSafe.value(key) + " is not passed to Kafka"
                        + " clients (allowed: security.protocol, sasl.*, ssl.*, and connection settings; meshlog"
                        + " sets ids, isolation, idempotence and timeouts itself)");
            }
            out.put(key, p.getProperty(key));
        }
        return out;
    }

    /** For a log line: the keys, never the values (a JAAS config holds a password). */
    public String describe() {
        return "client keys " + (clientProperties.isEmpty() ? "(none)" : String.join(",",
                new TreeMap<>(clientProperties).keySet())) + ", replication factor "
                + replicationFactor.map(String::valueOf).orElse("(broker default)") + ", keyed partitions "
                + keyedPartitions;
    }
}
