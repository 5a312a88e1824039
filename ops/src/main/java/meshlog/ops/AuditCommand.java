package meshlog.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import meshlog.configstore.LogSafe;
import meshlog.configstore.event.EventCodec;
import meshlog.configstore.kafka.KafkaEventLog;
import meshlog.configstore.snapshot.SnapshotHistory;
import meshlog.configstore.status.SnapshotAcks;
import meshlog.configstore.status.SnapshotAcksReader;
import meshlog.gatewayapi.ResourceKey;
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

    static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Flags f = Flags.parse(args, Set.of("data-dir", "kafka", "kafka-config", "since", "until", "resource", "author", "cluster",
                "o", "output"), Set.of());
        String format = f.get("o", f.get("output", "text"));
        if (!format.equals("text") && !format.equals("json")) {
            throw new Flags.UsageException("-o takes text or json");
        }
        AuditTrail.Filter filter = new AuditTrail.Filter(time(f, "since"), time(f, "until"),
                f.has("resource") ? resource(f.get("resource", "")) : null, f.get("author", null),
                f.get("cluster", null));
        AuditTrail.Report report;
        try (LogSource log = LogSource.open(f, "meshlog audit")) {
            List<String> notes = new ArrayList<>();
            List<LoggedEvent> events = KafkaEventLog.readAll(log.bootstrap(), MeshlogNode.REPO_ID);
            List<SnapshotHistory.Logged> pubs = SnapshotHistory.publications(log.bootstrap(), notes);
            notes.replaceAll(n -> "a publication record this meshlog cannot read (" + n + ")");
            List<SnapshotAcks> acks = SnapshotAcksReader.readAll(log.bootstrap(), notes);
            report = AuditTrail.of(events, pubs, acks, filter, notes);
        }
        if (format.equals("json")) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } else {
            AuditReport.lines(report).forEach(out::println);
        }
        return 0;
    }

    /** The mapper of the stable JSON: fields in record order, times as ISO strings, nulls kept. */
    static final ObjectMapper JSON = EventCodec.json().copy();

    private static Instant time(Flags f, String name) {
        if (!f.has(name)) {
            return null;
        }
        Instant t = LogPoint.time(f.get(name, ""), Instant.now());
        if (t == null) {
            throw new Flags.UsageException("--" + name + " takes a time: 2026-12-06T21:00:00Z, 2026-12-06 or 2h"
                    + " (ago), got \"" + LogSafe.value(f.get(name, "")) + "\"");
        }
        return t;
    }

    /** {@code KIND/NS/NAME}, or {@code KIND/NAME} for an object without namespace. */
    static ResourceKey resource(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length == 3 && !parts[0].isEmpty() && !parts[2].isEmpty()) {
            return new ResourceKey(parts[0], parts[1], parts[2]);
        }
        if (parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty()) {
            return new ResourceKey(parts[0], "", parts[1]);
        }
        throw new Flags.UsageException("--resource takes KIND/NAMESPACE/NAME (or KIND/NAME), like"
                + " VirtualService/demo/echo; got \"" + LogSafe.value(text) + "\"");
    }
}
