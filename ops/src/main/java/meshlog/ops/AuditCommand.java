package meshlog.ops;

import java.io.PrintStream;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
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
        try (LogSource log = LogSource.open(f, "meshlog audit")) {
            return print(KafkaEventLog.readAll(log.bootstrap(), MeshlogNode.REPO_ID), out);
        }
    }

    private static int print(List<LoggedEvent> events, PrintStream out) {
        List<String> lines = AuditReport.lines(events);
        lines.forEach(out::println);
        return 0;
    }
}
