package meshlog.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import meshlog.configstore.event.CommitInfo;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.ConfigEvent.BranchRewritten;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.event.ConfigEvent.PinnedResource;
import meshlog.configstore.event.ConfigEvent.RevisionPinned;
import meshlog.configstore.event.ConfigEvent.RevisionUnpinned;
import meshlog.configstore.state.ConfigState;
import meshlog.configstore.event.ConfigEvent.ResourceDeleted;
import meshlog.configstore.event.ConfigEvent.ResourceUpserted;
import meshlog.configstore.event.EventCodec;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.configstore.snapshot.SnapshotHistory;
import meshlog.configstore.snapshot.SnapshotPublished;
import meshlog.configstore.status.SnapshotAcks;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.ResourceKey;
import meshlog.gatewayapi.parse.ConfigParser;

/**
 * The audit trail as data (pure): each commit applied or rejected with what it changed, field by field, and its
 * diagnostics; each cluster's publications. {@code meshlog audit -o json} prints it as it is, so every field here
 * is part of a documented format (docs/operations.md): add fields, never rename or remove them.
 */
final class AuditTrail {

    static final int SCHEMA_VERSION = 1;

    /** What the audit shows; null fields are not filtered on. */
    record Filter(Instant since, Instant until, ResourceKey resource, String author, String cluster) {
        static final Filter NONE = new Filter(null, null, null, null, null);

        boolean inTime(Instant t) {
            return (since == null || !t.isBefore(since)) && (until == null || !t.isAfter(until));
        }
    }

    record Report(int schemaVersion, List<Commit> commits, List<PinChange> pins, List<Publication> publications,
                  Summary summary, List<String> notes) {
    }

    /**
     * A pin set or ended.
     *
     * @param op {@code pinned}, {@code unpinned} (by {@code meshlog unpin}) or {@code unpinned-git-matches} (an
     *           applied commit has the pinned tree)
     * @param commit the pinned commit
     */
    record PinChange(long offset, Instant recorded, String op, String commit, String by, String reason) {
    }

    record Summary(int applied, int rejected, int publications) {
    }

    /**
     * @param recorded when the log recorded the commit (the broker's timestamp of its closing event)
     * @param outcome {@code applied} or {@code rejected}
     * @param time the author's time from git
     * @param errors every error (a rejected commit's reasons)
     * @param warnings how many warnings, and those the previous applied commit did not have
     * @param notes objects of the commit this meshlog cannot read any more
     * @param pinnedTo while a revision is pinned, that commit: this commit was recorded but is not served (the
     *                 drift); null when the commit's outcome is what proxies get
     * @param rewrite when this commit is the head of a force-pushed branch: the commit recorded before it, which
     *                is no longer on the branch; null for an ordinary commit
     * @param clusters per cluster the commit's snapshots were published in: scope versions, ACKs, NACKs, latency
     *                 ({@link AckStats}); empty for a rejected commit or one that changed nothing served
     */
    record Commit(long offset, Instant recorded, String outcome, String sha, String author, String email,
                  Instant time, String message, List<Change> changes, List<Diagnostic> errors, Warnings warnings,
                  List<String> notes, String pinnedTo, Rewrite rewrite, List<AckStats.ClusterAcks> clusters) {
    }

    /** The branch was rewritten: {@code previous} (the last commit recorded) is no longer on {@code branch}. */
    record Rewrite(String previous, String branch) {
    }

    /** @param op {@code created}, {@code changed} or {@code deleted} */
    record Change(String op, ResourceKey resource, String file, Integer line, List<FieldDiff.Change> fields,
                  int moreFields) {
    }

    record Warnings(int count, List<Diagnostic> added) {
    }

    record Publication(long offset, String cluster, Instant time, List<String> commits,
                       Map<String, SnapshotPublished.Scope> scopes, List<String> changed, List<String> withdrawn) {
    }

    private AuditTrail() {
    }

    static Report of(List<LoggedEvent> events, List<SnapshotHistory.Logged> publications, Filter filter,
                     List<String> notes) {
        return of(events, publications, List.of(), filter, notes);
    }

    static Report of(List<LoggedEvent> events, List<SnapshotHistory.Logged> publications, List<SnapshotAcks> acks,
                     Filter filter, List<String> notes) {
        Walk walk = new Walk(filter, new AckStats(publications, acks));
        events.forEach(walk::event);
        List<Publication> pubs = publications(publications, filter);
        int shownApplied = (int) walk.commits.stream().filter(c -> c.outcome().equals("applied")).count();
        List<String> allNotes = new ArrayList<>(walk.unreadable);
        allNotes.addAll(notes);
        return new Report(SCHEMA_VERSION, walk.commits, walk.pins, pubs, new Summary(shownApplied,
                walk.commits.size() - shownApplied, pubs.size()), List.copyOf(allNotes));
    }

    /** The events in log order, folded into commits and pin changes. */
    private static final class Walk {
        final Filter filter;
        final AckStats acks;
        final List<Commit> commits = new ArrayList<>();
        final List<PinChange> pins = new ArrayList<>();
        final List<String> unreadable = new ArrayList<>(); // records of the log this meshlog cannot read
        final Map<ResourceKey, String> documents = new HashMap<>();   // of the last applied commit
        final Map<ResourceKey, ResourceUpserted> upserts = new HashMap<>(); // null value: deleted
        final List<ResourceKey> order = new ArrayList<>();
        final Set<String> previousWarnings = new HashSet<>();
        BranchRewritten rewrite; // of the commit being read
        final ConfigState.Folder folder = new ConfigState.Folder(ConfigState.EMPTY); // only to know what is pinned

        Walk(Filter filter, AckStats acks) {
            this.filter = filter;
            this.acks = acks;
        }

        void event(LoggedEvent le) {
            ConfigEvent e = le.event();
            ConfigState.Pin pinBefore = folder.state().pin();
            folder.apply(e);
            ConfigState.Pin pin = folder.state().pin();
            if (e instanceof PinnedResource) {
                return; // read whole at its RevisionPinned, by the folder
            } else if (e instanceof BranchRewritten r) {
                rewrite = r;
            } else if (e instanceof RevisionPinned p) {
                addPin(pins, filter, new PinChange(le.offset(), le.timestamp(), "pinned", p.commit(), p.by(),
                        p.reason()));
            } else if (e instanceof RevisionUnpinned u) {
                addPin(pins, filter, new PinChange(le.offset(), le.timestamp(), "unpinned", u.commit(), u.by(),
                        null));
            } else if (e instanceof ResourceUpserted u) {
                upserts.put(u.key(), u);
                order.add(u.key());
            } else if (e instanceof ResourceDeleted d) {
                upserts.put(d.key(), null);
                order.add(d.key());
            } else if (e instanceof CommitApplied a) {
                applied(le, a, pinBefore, pin);
            } else if (e instanceof CommitRejected r) {
                rejected(le, r, pin);
            } else if (e instanceof ConfigEvent.UnreadableEvent u) {
                unreadable.add("offset " + le.offset() + ": " + u.describe() + "; audit and state continue past it");
            } else {
                throw new AssertionError(e);
            }
        }

        private void applied(LoggedEvent le, CommitApplied a, ConfigState.Pin pinBefore, ConfigState.Pin pin) {
            List<Change> changes = new ArrayList<>();
            List<String> unreadable = new ArrayList<>();
            for (ResourceKey k : order) {
                ResourceUpserted u = upserts.get(k);
                changes.add(change(k, documents.get(k), u, unreadable));
                if (u == null) {
                    documents.remove(k);
                } else {
                    documents.put(k, u.document());
                }
            }
            List<Diagnostic> added = a.warnings().stream()
                    .filter(w -> !previousWarnings.contains(identity(w))).toList();
            previousWarnings.clear();
            a.warnings().forEach(w -> previousWarnings.add(identity(w)));
            if (pinBefore != null && pin == null) {
                addPin(pins, filter, new PinChange(le.offset(), le.timestamp(), "unpinned-git-matches",
                        pinBefore.commit(), a.info().author(), null));
            }
            add(commits, filter, new Commit(le.offset(), le.timestamp(), "applied", a.info().sha(),
                    a.info().author(), a.info().email(), a.info().time(), a.info().message(), changes, List.of(),
                    new Warnings(a.warnings().size(), added), unreadable, pin == null ? null : pin.commit(),
                    rewriteOf(a.info().sha()), acks.of(a.info().sha(), le.timestamp(), filter.cluster())));
            upserts.clear();
            order.clear();
        }

        private void rejected(LoggedEvent le, CommitRejected r, ConfigState.Pin pin) {
            List<Diagnostic> errors = r.diagnostics().stream().filter(Diagnostic::isError).toList();
            List<Diagnostic> warnings = r.diagnostics().stream().filter(d -> !d.isError()).toList();
            add(commits, filter, new Commit(le.offset(), le.timestamp(), "rejected", r.info().sha(),
                    r.info().author(), r.info().email(), r.info().time(), r.info().message(), List.of(), errors,
                    new Warnings(warnings.size(), warnings.stream()
                            .filter(w -> !previousWarnings.contains(identity(w))).toList()), List.of(),
                    pin == null ? null : pin.commit(), rewriteOf(r.info().sha()), List.of()));
            upserts.clear();
            order.clear();
        }

        /** The rewrite that opened this commit's transaction, if any; read once. */
        private Rewrite rewriteOf(String sha) {
            BranchRewritten r = rewrite;
            rewrite = null;
            return r == null || !r.commit().equals(sha) ? null : new Rewrite(r.previous(), r.branch());
        }
    }

    private static List<Publication> publications(List<SnapshotHistory.Logged> publications, Filter filter) {
        List<Publication> pubs = new ArrayList<>();
        for (SnapshotHistory.Logged p : publications) {
            SnapshotPublished sp = p.publication();
            if ((filter.cluster() == null || filter.cluster().equals(sp.cluster())) && filter.inTime(sp.time())) {
                List<String> shas = sp.scopes().values().stream().map(SnapshotPublished.Scope::commit)
                        .filter(c -> c != null).distinct().sorted().toList();
                pubs.add(new Publication(p.offset(), sp.cluster(), sp.time(), shas, sp.scopes(), sp.changed(),
                        sp.withdrawn()));
            }
        }
        return pubs;
    }

    private static void addPin(List<PinChange> out, Filter f, PinChange p) {
        if (f.inTime(p.recorded()) && f.resource() == null && f.author() == null) {
            out.add(p);
        }
    }

    private static void add(List<Commit> out, Filter f, Commit c) {
        if (!f.inTime(c.recorded())) {
            return;
        }
        if (f.author() != null) {
            String a = f.author().toLowerCase(Locale.ROOT);
            if (!c.author().toLowerCase(Locale.ROOT).contains(a) && !c.email().toLowerCase(Locale.ROOT).contains(a)) {
                return;
            }
        }
        if (f.resource() != null && c.changes().stream().noneMatch(ch -> ch.resource().equals(f.resource()))
                && c.errors().stream().noneMatch(d -> names(d, f.resource()))) {
            return;
        }
        out.add(c);
    }

    /**
     * Whether an error is about the object: its key, or its namespace and name under another kind (a typo in the
     * kind, say {@code VirtualServce}, is the object's own commit too).
     */
    private static boolean names(Diagnostic d, ResourceKey k) {
        return d.resource().equals(k.toString()) || d.resource().endsWith(" " + k.namespace() + "/" + k.name());
    }

    private static Change change(ResourceKey k, String before, ResourceUpserted after, List<String> unreadable) {
        JsonNode a = before == null ? null : tree(before);
        JsonNode b = after == null ? null : tree(after.document());
        if (after != null && ConfigParser.parseJson(after.file(), after.document()).diagnostics().stream()
                .anyMatch(Diagnostic::isError)) {
            unreadable.add(k + " (" + after.file() + ":" + after.line() + ") was recorded, but this meshlog cannot"
                    + " read it any more; it is not served by this version");
        }
        List<FieldDiff.Change> fields = a == null || b == null ? List.of() : FieldDiff.of(a, b);
        String op = after == null ? "deleted" : before == null ? "created" : "changed";
        int more = Math.max(0, fields.size() - FieldDiff.MAX_CHANGES);
        return new Change(op, k, after == null ? null : after.file(), after == null ? null : after.line(),
                fields.subList(0, Math.min(fields.size(), FieldDiff.MAX_CHANGES)), more);
    }

    /** A warning as the same finding, wherever its line moved. */
    private static String identity(Diagnostic d) {
        return d.code() + "\u0000" + d.file() + "\u0000" + d.resource() + "\u0000" + d.path() + "\u0000" + d.message();
    }

    private static JsonNode tree(String json) {
        try {
            return EventCodec.json().readTree(json);
        } catch (IOException e) {
            return null;
        }
    }

    /** The commit a short or full sha names among the recorded ones (first match), or null. */
    static String resolveSha(List<LoggedEvent> events, String prefix) {
        LogPoint.Entry e = LogPoint.closingOf(events.stream().map(LogPoint.Entry::of).toList(), prefix);
        return e == null ? null : e.closes();
    }

    static String subject(CommitInfo c) {
        return c.message().lines().findFirst().orElse("");
    }
}
