package meshlog.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import meshlog.configstore.LogSafe;
import meshlog.configstore.event.EventCodec;
import meshlog.configstore.kafka.KafkaEventLog;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.configstore.snapshot.SnapshotHistory;
import meshlog.gatewayapi.ResourceKey;

/**
 * {@code meshlog diff A B [--cluster C] [-o text|json]}: field-level differences between two points of the log (each
 * as {@code state --at} takes it): of the config, or with {@code --cluster} of the xDS resources that cluster was
 * published at each point. Exit 0 when equal, 1 when they differ (as {@code diff} does).
 */
final class DiffCommand {

    /** One object or resource that differs: {@code what} is a resource key, or scope, type URL and name. */
    record Entry(String what, String op, List<FieldDiff.Change> fields) {
    }

    private DiffCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Flags f = Flags.parse(args, Set.of("cluster", "o", "output", "data-dir", "kafka", "kafka-config"), Set.of());
        if (f.positional().size() != 2) {
            throw new Flags.UsageException("diff takes two points: meshlog diff A B (each a commit, an offset or a"
                    + " time)");
        }
        String format = f.get("o", f.get("output", "text"));
        if (!format.equals("text") && !format.equals("json")) {
            throw new Flags.UsageException("-o takes text or json");
        }
        List<Entry> entries;
        try (LogSource log = LogSource.open(f, "meshlog diff")) {
            List<LoggedEvent> events = KafkaEventLog.readAll(log.bootstrap(), MeshlogNode.REPO_ID);
            LogPoint.Resolved a = LogPoint.resolve(f.positional().get(0), events, Instant.now());
            LogPoint.Resolved b = LogPoint.resolve(f.positional().get(1), events, Instant.now());
            if (f.has("cluster")) {
                List<SnapshotHistory.Logged> pubs = SnapshotHistory.publications(log.bootstrap(), new ArrayList<>());
                String cluster = f.get("cluster", "");
                List<LogPoint.Entry> index = events.stream().map(LogPoint.Entry::of).toList();
                JsonNode left = served(log.bootstrap(), LogState.publication(pubs, cluster, index, a));
                JsonNode right = served(log.bootstrap(), LogState.publication(pubs, cluster, index, b));
                entries = xds(left.path("scopes"), right.path("scopes"));
            } else {
                entries = config(LogState.documents(LogState.at(events, a.offset())),
                        LogState.documents(LogState.at(events, b.offset())));
            }
        }
        if (format.equals("json")) {
            out.println(EventCodec.json().writerWithDefaultPrettyPrinter().writeValueAsString(entries));
        } else {
            for (Entry e : entries) {
                out.println(symbol(e.op()) + " " + LogSafe.value(e.what()));
                for (FieldDiff.Change c : e.fields()) {
                    out.println("    " + LogSafe.value(c.path()) + ": " + shown(c.before()) + " -> "
                            + shown(c.after()));
                }
            }
            out.println(entries.isEmpty() ? "no differences" : entries.size() + " differ");
        }
        return entries.isEmpty() ? 0 : 1;
    }

    static List<Entry> config(Map<ResourceKey, JsonNode> a, Map<ResourceKey, JsonNode> b) {
        List<Entry> out = new ArrayList<>();
        TreeSet<ResourceKey> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (ResourceKey k : keys) {
            entry(k.toString(), a.get(k), b.get(k), out);
        }
        return out;
    }

    /** Scope by scope, type by type, name by name. */
    static List<Entry> xds(JsonNode a, JsonNode b) {
        List<Entry> out = new ArrayList<>();
        TreeSet<String> scopes = names(a, b);
        for (String scope : scopes) {
            JsonNode ra = a.path(scope).path("resources");
            JsonNode rb = b.path(scope).path("resources");
            for (String type : names(ra, rb)) {
                for (String name : names(ra.path(type), rb.path(type))) {
                    entry(scope + " " + type.substring(type.lastIndexOf('.') + 1) + " " + name,
                            node(ra.path(type).path(name)), node(rb.path(type).path(name)), out);
                }
            }
        }
        return out;
    }

    private static void entry(String what, JsonNode a, JsonNode b, List<Entry> out) {
        if (a == null) {
            out.add(new Entry(what, "added", List.of()));
        } else if (b == null) {
            out.add(new Entry(what, "removed", List.of()));
        } else if (!a.equals(b)) {
            out.add(new Entry(what, "changed", FieldDiff.of(a, b)));
        }
    }

    private static JsonNode served(String bootstrap, SnapshotHistory.Logged pub) {
        return pub == null ? MissingNode.getInstance() : LogState.served(bootstrap, pub);
    }

    private static JsonNode node(JsonNode n) {
        return n.isMissingNode() ? null : n;
    }

    private static TreeSet<String> names(JsonNode a, JsonNode b) {
        TreeSet<String> out = new TreeSet<>();
        a.fieldNames().forEachRemaining(out::add);
        b.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static String symbol(String op) {
        return switch (op) {
            case "added" -> "+";
            case "removed" -> "-";
            default -> "~";
        };
    }

    private static String shown(String json) {
        return json == null ? "(none)" : LogSafe.value(json, 120);
    }
}
