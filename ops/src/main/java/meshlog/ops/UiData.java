package meshlog.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import meshlog.configstore.kafka.KafkaEventLog;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.configstore.snapshot.SnapshotHistory;
import meshlog.configstore.status.SnapshotAcksReader;
import meshlog.gatewayapi.ResourceKey;
import meshlog.ops.ui.Page;
import meshlog.ops.ui.UiSource;

/**
 * The web UI's data from a running node: the timeline is {@code meshlog audit}'s {@link AuditTrail}, state and diff
 * are {@code meshlog state} and {@code meshlog diff}'s ({@link LogState}, {@link DiffCommand}), all read from the log
 * on each request, so the UI shows what the commands would print.
 */
final class UiData implements UiSource {

    /**
     * One commit as the timeline lists it; the whole of it is {@code /api/commits/{sha}}.
     *
     * @param rejection a rejected commit's first {@link #REJECTION_LINES} errors as the CLI prints them; else empty
     */
    record CommitLine(long offset, Instant recorded, String outcome, String sha, String author, String subject,
                      int changes, int errors, List<String> rejection, List<ClusterReach> clusters) {
    }

    /** Enough to say why on the timeline; the commit's page lists them all. */
    static final int REJECTION_LINES = 3;

    /** How long the commit took to reach every proxy pushed it in a cluster (null ms: no proxy answered yet). */
    record ClusterReach(String cluster, int acks, int nacks, Long p50Ms, Long maxMs) {
    }

    /** A distributor as the clusters page shows it. */
    record DistributorLine(String name, String address, boolean ready, String notReady, String version,
                           Map<String, String> typeVersions, Map<String, Integer> proxies) {
    }

    record ClusterLine(String name, String publishedVersion, String publishedCommit, Instant publishedAt,
                       List<DistributorLine> distributors) {
    }

    private final MeshlogNode node;
    private final NodeStatus status;

    UiData(MeshlogNode node, NodeStatus status) {
        this.node = node;
        this.status = status;
    }

    @Override
    public Object clusters() {
        Map<String, String> notReady = status.notReady();
        List<ClusterLine> out = new ArrayList<>();
        for (NodeStatus.Cluster c : status.status().clusters()) {
            List<DistributorLine> ds = c.distributors().stream().map(d -> {
                String why = notReady.get("distributor " + d.name());
                return new DistributorLine(d.name(), d.address(), why == null, why, d.version(), d.typeVersions(),
                        d.proxies());
            }).toList();
            out.add(new ClusterLine(c.name(), c.snapshot() == null ? null : c.snapshot().version(),
                    c.snapshot() == null ? null : c.snapshot().commit(),
                    c.snapshot() == null ? null : c.snapshot().time(), ds));
        }
        return out;
    }

    private AuditTrail.Report audit() {
        List<String> notes = new ArrayList<>();
        List<LoggedEvent> events = KafkaEventLog.readAll(node.bootstrap(), MeshlogNode.REPO_ID);
        List<SnapshotHistory.Logged> pubs = SnapshotHistory.publications(node.bootstrap(), notes);
        return AuditTrail.of(events, pubs, SnapshotAcksReader.readAll(node.bootstrap(), notes),
                AuditTrail.Filter.NONE, notes);
    }

    @Override
    public Object commits(CommitQuery q) {
        List<AuditTrail.Commit> all = new ArrayList<>(audit().commits());
        java.util.Collections.reverse(all); // newest first
        List<CommitLine> passing = all.stream().filter(c -> q.before() == null || c.offset() < q.before())
                .filter(c -> q.outcome() == null || q.outcome().equals(c.outcome()))
                .filter(c -> q.q() == null || matches(c, q.q().toLowerCase(Locale.ROOT)))
                .map(UiData::line).toList();
        Page<CommitLine> page = Page.of(passing, 0, q.limit());
        String next = page.next() == null ? null : String.valueOf(page.items().get(page.items().size() - 1).offset());
        return new Page<>(page.items(), page.total(), next);
    }

    private static boolean matches(AuditTrail.Commit c, String q) {
        return c.sha().startsWith(q) || c.author().toLowerCase(Locale.ROOT).contains(q)
                || c.message().toLowerCase(Locale.ROOT).contains(q);
    }

    static CommitLine line(AuditTrail.Commit c) {
        List<ClusterReach> reach = c.clusters().stream().map(a -> new ClusterReach(a.cluster(), a.acks(), a.nacks(),
                a.commitToAckMs() == null ? null : a.commitToAckMs().p50(),
                a.commitToAckMs() == null ? null : a.commitToAckMs().max())).toList();
        List<String> rejection = c.errors().stream().limit(REJECTION_LINES).map(d -> d.format()).toList();
        return new CommitLine(c.offset(), c.recorded(), c.outcome(), c.sha(), c.author(),
                c.message().lines().findFirst().orElse(""), c.changes().size(), c.errors().size(), rejection, reach);
    }

    @Override
    public Object commit(String id) {
        String lower = id.toLowerCase(Locale.ROOT);
        AuditTrail.Commit found = null;
        for (AuditTrail.Commit c : audit().commits()) {
            if (c.sha().startsWith(lower)) {
                found = c; // the last record of it: a commit judged again after a rewrite shows its latest outcome
            }
        }
        return found;
    }

    @Override
    public Object state(String at, int start, int limit) {
        List<LoggedEvent> events = KafkaEventLog.readAll(node.bootstrap(), MeshlogNode.REPO_ID);
        ObjectNode state = StateCommand.config(events, point(at, events));
        List<JsonNode> objects = new ArrayList<>();
        state.remove("objects").forEach(objects::add);
        state.putPOJO("objects", Page.of(objects, start, limit));
        return state;
    }

    @Override
    public Object diff(String from, String to, int start, int limit) {
        List<LoggedEvent> events = KafkaEventLog.readAll(node.bootstrap(), MeshlogNode.REPO_ID);
        LogPoint.Resolved a = point(from, events);
        LogPoint.Resolved b = point(to, events);
        Map<ResourceKey, JsonNode> left = LogState.documents(LogState.at(events, a.offset()));
        Map<ResourceKey, JsonNode> right = LogState.documents(LogState.at(events, b.offset()));
        return Map.of("from", a.shown(), "to", b.shown(),
                "entries", Page.of(DiffCommand.config(left, right), start, limit));
    }

    private static LogPoint.Resolved point(String text, List<LoggedEvent> events) {
        try {
            return LogPoint.resolve(text, events, Instant.now());
        } catch (Flags.UsageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
