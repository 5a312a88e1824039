package meshlog.ops;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import meshlog.configstore.kafka.EmbeddedKafkaBroker;
import meshlog.configstore.kafka.KafkaEventLog;
import meshlog.configstore.kafka.LoggedEvent;

/**
 * {@code meshlog audit}: the history of the config, read from the log itself. Against {@code --data-dir} it starts
 * the embedded broker on that directory (so {@code meshlog up} must not be running on it); against {@code --kafka}
 * it reads a running broker.
 */
final class AuditCommand {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private AuditCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Flags f = Flags.parse(args, Set.of("data-dir", "kafka"), Set.of());
        if (f.has("kafka")) {
            return print(KafkaEventLog.readAll(f.get("kafka", ""), MeshlogNode.REPO_ID), out);
        }
        Path dataDir = Path.of(f.get("data-dir", ".meshlog"));
        if (!Files.isDirectory(dataDir.resolve("kafka"))) {
            err.println("meshlog audit: no meshlog log under " + dataDir + " (give --data-dir of a meshlog up, or"
                    + " --kafka HOST:PORT)");
            return 2;
        }
        EmbeddedKafkaBroker broker;
        try {
            broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0);
        } catch (RuntimeException e) {
            err.println("meshlog audit: cannot open the log under " + dataDir + " (is meshlog up running on it? then"
                    + " use --kafka with the address it printed): " + e.getMessage());
            return 2;
        }
        try (broker) {
            return print(KafkaEventLog.readAll(broker.bootstrapServers(), MeshlogNode.REPO_ID), out);
        }
    }

    private static int print(List<LoggedEvent> events, PrintStream out) {
        List<String> lines = AuditReport.lines(events);
        lines.forEach(out::println);
        return 0;
    }
}
