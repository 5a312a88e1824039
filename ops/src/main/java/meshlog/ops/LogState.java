package meshlog.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.event.EventCodec;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.configstore.snapshot.SnapshotHistory;
import meshlog.configstore.state.ConfigState;
import meshlog.gatewayapi.ResourceKey;
import meshlog.reconciler.xds.XdsJson;

/**
 * What was served at a point of the log, answered from the log alone (pure but for reading blobs): the config is
 * the fold of every event up to the point (a commit cut in the middle counts as not applied), and a cluster's xDS is
 * that of its last publication before the next applied commit (or before the time named), read from the recorded
 * publication and its content-addressed blobs, never recomputed with today's code.
 */
final class LogState {

    private LogState() {
    }

    /** The config state after every event up to {@code offset}. */
    static ConfigState at(List<LoggedEvent> events, long offset) {
        ConfigState.Folder f = new ConfigState.Folder(ConfigState.EMPTY);
        for (LoggedEvent le : events) {
            if (le.offset() > offset) {
                break;
            }
            f.apply(le.event());
        }
        return f.state();
    }

    /** The served objects' documents by key (the pinned revision's while one is pinned), as JSON trees. */
    static Map<ResourceKey, JsonNode> documents(ConfigState state) {
        Map<ResourceKey, JsonNode> out = new TreeMap<>();
        state.servedDocuments().forEach((k, json) -> out.put(k, tree(json)));
        return out;
    }

    /**
     * The publication of {@code cluster} in force at the point: for a time, the last at or before it; for a commit
     * or an offset, the last before the next applied commit's record (what the point's config was served as).
     */
    static SnapshotHistory.Logged publication(List<SnapshotHistory.Logged> pubs, String cluster,
                                              List<LogPoint.Entry> events, LogPoint.Resolved point) {
        Instant until = point.time();
        if (until == null) {
            Instant next = LogPoint.nextApplied(events, point.offset());
            until = next == null ? Instant.MAX : next;
        }
        SnapshotHistory.Logged found = null;
        for (SnapshotHistory.Logged p : pubs) {
            boolean before = point.time() != null ? !p.publication().time().isAfter(until)
                    : p.publication().time().isBefore(until);
            if (p.publication().cluster().equals(cluster) && before) {
                found = p;
            }
        }
        return found;
    }

    /** A publication's scopes with every resource as xDS JSON: scope → type URL → name → resource. */
    static ObjectNode served(String bootstrap, SnapshotHistory.Logged pub) {
        ObjectNode out = EventCodec.json().createObjectNode();
        out.put("cluster", pub.publication().cluster());
        out.put("publishedAt", pub.publication().time().toString());
        out.put("publicationOffset", pub.offset());
        ObjectNode scopes = out.putObject("scopes");
        ArrayNode missing = out.putArray("missing");
        pub.publication().scopes().forEach((scope, s) -> {
            SnapshotHistory.Served served = SnapshotHistory.served(bootstrap, pub.publication().cluster(), s);
            ObjectNode node = scopes.putObject(scope);
            node.put("version", s.version());
            node.put("commit", s.commit());
            ObjectNode types = node.putObject("resources");
            served.resources().forEach((type, byName) -> {
                ObjectNode named = types.putObject(type);
                byName.forEach((name, bytes) -> named.set(name, tree(XdsJson.print(type, bytes))));
            });
            served.missing().forEach(m -> missing.add(scope + " " + m));
        });
        return out;
    }

    static JsonNode tree(String json) {
        try {
            return EventCodec.json().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
