package meshlog.ops;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import meshlog.configstore.kafka.KafkaClients;
import meshlog.configstore.kafka.KafkaSettings;

/**
 * {@code --kafka-config FILE} (client properties: TLS, SASL), {@code --topic-replication-factor N} and
 * {@code --topic-partitions N}, as every command that talks to a Kafka of the user's takes them.
 */
final class KafkaFlags {

    static final Set<String> FLAGS = Set.of("kafka-config", "topic-replication-factor", "topic-partitions");

    private KafkaFlags() {
    }

    static KafkaSettings parse(Flags f) {
        Map<String, String> client = Map.of();
        if (f.has("kafka-config")) {
            Path file = Path.of(f.get("kafka-config", ""));
            try {
                client = KafkaSettings.readClientProperties(file);
            } catch (IOException e) {
                throw new Flags.UsageException("--kafka-config " + file + ": cannot read it: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new Flags.UsageException("--kafka-config " + e.getMessage());
            }
        }
        Optional<Short> rf = Optional.empty();
        if (f.has("topic-replication-factor")) {
            int n = f.intValue("topic-replication-factor", 1);
            if (n < 1 || n > Short.MAX_VALUE) {
                throw new Flags.UsageException("--topic-replication-factor must be at least 1, got " + n);
            }
            rf = Optional.of((short) n);
        }
        int partitions = f.intValue("topic-partitions", KafkaSettings.DEFAULTS.keyedPartitions());
        if (partitions < 1 || partitions > 1000) {
            throw new Flags.UsageException("--topic-partitions must be 1..1000, got " + partitions);
        }
        return new KafkaSettings(client, rf, partitions);
    }

    /** Registers {@code --kafka-config} for {@code bootstrap}, for a command that only reads (audit, state, ...). */
    static void register(Flags f, String bootstrap) {
        if (f.has("kafka-config")) {
            KafkaClients.register(bootstrap, parse(f));
        }
    }
}
