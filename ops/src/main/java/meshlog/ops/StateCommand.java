package meshlog.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import meshlog.configstore.LogSafe;
import meshlog.configstore.event.EventCodec;
import meshlog.configstore.kafka.KafkaEventLog;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.configstore.snapshot.SnapshotHistory;
import meshlog.configstore.state.ConfigState;

/**
 * {@code meshlog state --at COMMIT|OFFSET|TIME [--cluster C] [-o yaml|json]}: the config served at that point of the
 * log, or with {@code --cluster} the xDS resources that cluster was published then ({@link LogState}).
 */
final class StateCommand {

    private StateCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        return run(args, out, err, StateCheckpoints.DEFAULT_INTERVAL);
    }

    /** As {@link #run(List, PrintStream, PrintStream)}, writing a checkpoint every {@code interval} events. */
    static int run(List<String> args, PrintStream out, PrintStream err, int interval) throws IOException {
        Flags f = Flags.parse(args, Set.of("at", "cluster", "o", "output", "data-dir", "kafka", "kafka-config",
                "checkpoint-dir"), Set.of("no-checkpoints"));
        String at = BootstrapCommand.required(f, "at");
        String format = format(f);
        try (LogSource log = LogSource.open(f, "meshlog state")) {
            boolean checkpoints = !f.has("no-checkpoints");
            if (!f.has("cluster") && checkpoints) {
                StateCheckpoints.Answer a = StateCheckpoints.stateAt(log.bootstrap(), MeshlogNode.REPO_ID,
                        StateCheckpoints.baseDir(f), interval, at, Instant.now());
                print(config(a.state(), a.point()), format, out);
                return 0;
            }
            if (f.has("cluster")) {
                // The config log is needed only to place the point (the index); the answer is the publication's.
                List<LogPoint.Entry> index = checkpoints
                        ? StateCheckpoints.index(log.bootstrap(), MeshlogNode.REPO_ID, StateCheckpoints.baseDir(f),
                                interval)
                        : KafkaEventLog.readAll(log.bootstrap(), MeshlogNode.REPO_ID).stream()
                                .map(LogPoint.Entry::of).toList();
                LogPoint.Resolved point = LogPoint.resolveIndexed(at, index, Instant.now());
                ObjectNode result = cluster(log.bootstrap(), index, point, f.get("cluster", ""), err);
                if (result == null) {
                    return 1;
                }
                print(result, format, out);
                return 0;
            }
            List<LoggedEvent> events = KafkaEventLog.readAll(log.bootstrap(), MeshlogNode.REPO_ID);
            LogPoint.Resolved point = LogPoint.resolve(at, events, Instant.now());
            ObjectNode result = config(events, point);
            if (result == null) {
                return 1;
            }
            print(result, format, out);
            return 0;
        }
    }

    static String format(Flags f) {
        String format = f.get("o", f.get("output", "yaml"));
        if (!format.equals("yaml") && !format.equals("json")) {
            throw new Flags.UsageException("-o takes yaml or json");
        }
        return format;
    }

    static void print(ObjectNode result, String format, PrintStream out) throws IOException {
        out.print(format.equals("json")
                ? EventCodec.json().writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n"
                : new YAMLMapper().writeValueAsString(result));
    }

    /** The served config: the last applied commit at the point and every object's document. */
    static ObjectNode config(List<LoggedEvent> events, LogPoint.Resolved point) {
        return config(LogState.at(events, point.offset()), point);
    }

    /** The served config of {@code state}, the fold up to {@code point}. */
    static ObjectNode config(ConfigState state, LogPoint.Resolved point) {
        ObjectNode result = EventCodec.json().createObjectNode();
        result.put("at", point.shown());
        result.put("offset", point.offset());
        result.put("commit", state.servedCommit());
        result.put("lastApplied", state.lastApplied() == null ? null : state.lastApplied().sha());
        result.put("pinned", state.pin() != null);
        ArrayNode objects = result.putArray("objects");
        LogState.documents(state).values().forEach(objects::add);
        ArrayNode notes = result.putArray("notes");
        state.unreadable().forEach((k, why) -> notes.add(k + " is recorded but this meshlog cannot read it: " + why));
        state.unreadableEvents().forEach(notes::add);
        return result;
    }

    private static ObjectNode cluster(String bootstrap, List<LogPoint.Entry> events, LogPoint.Resolved point,
                                      String cluster, PrintStream err) {
        List<String> unreadable = new ArrayList<>();
        SnapshotHistory.Logged pub = LogState.publication(SnapshotHistory.publications(bootstrap, unreadable),
                cluster, events, point);
        if (pub == null) {
            err.println("meshlog state: cluster " + LogSafe.value(cluster) + " had no publication recorded at "
                    + LogSafe.value(point.shown()));
            return null;
        }
        ObjectNode result = LogState.served(bootstrap, pub);
        result.put("at", point.shown());
        return result;
    }
}
