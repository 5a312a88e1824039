package meshlog.ops;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import meshlog.configstore.kafka.KafkaSettings;

/**
 * The flags every component process takes, named as {@code meshlog up}'s where they mean the same.
 *
 * @param kafka the broker address (required: only {@code up} and {@code kafka} run a broker); null for the
 *              injector, which reads no log
 * @param adminTokenFile null: no token
 */
record ComponentOptions(String kafka, KafkaSettings kafkaSettings, int adminPort, Path dataDir, String bind,
                        Path adminTokenFile, Duration stopTimeout) {

    static final Set<String> FLAGS = Set.of("kafka", "kafka-config", "topic-replication-factor", "topic-partitions",
            "admin-port", "data-dir", "bind", "admin-token-file", "stop-timeout");

    /** The common flags and a component's own. */
    static Set<String> with(Set<String> own) {
        Set<String> all = new HashSet<>(FLAGS);
        all.addAll(own);
        return Set.copyOf(all);
    }

    static ComponentOptions parse(Flags f, String command, int defaultAdminPort) {
        if (!f.positional().isEmpty()) {
            throw new Flags.UsageException("unexpected argument " + f.positional().get(0));
        }
        String kafka = command.equals("injector") ? noKafka(f) : kafka(f, command);
        return new ComponentOptions(kafka, KafkaFlags.parse(f), UpOptions.port(f, "admin-port", defaultAdminPort),
                Path.of(f.get("data-dir", ".meshlog")), f.get("bind", "127.0.0.1"),
                f.has("admin-token-file") ? Path.of(f.get("admin-token-file", "")) : null,
                f.duration("stop-timeout", UpOptions.STOP_TIMEOUT));
    }

    private static String noKafka(Flags f) {
        if (f.has("kafka")) {
            throw new Flags.UsageException("injector reads no log: --kafka is not used");
        }
        return null;
    }

    private static String kafka(Flags f, String command) {
        if (!f.has("kafka")) {
            throw new Flags.UsageException(command + " needs --kafka HOST:PORT (a broker; to try one on this"
                    + " machine: meshlog kafka --data-dir DIR)");
        }
        String kafka = f.get("kafka", "");
        if (!kafka.matches("[A-Za-z0-9.:\\[\\],_-]{1,1000}")) {
            throw new Flags.UsageException("--kafka must be HOST:PORT[,HOST:PORT...], got \""
                    + meshlog.configstore.LogSafe.value(kafka) + "\"");
        }
        return kafka;
    }
}
