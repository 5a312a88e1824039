package meshlog.configstore.state;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.event.CommitInfo;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.event.ConfigEvent.ResourceDeleted;
import meshlog.configstore.event.ConfigEvent.ResourceUpserted;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.ResourceKey;
import meshlog.gatewayapi.model.MeshResource;
import meshlog.gatewayapi.parse.ConfigParser;
import meshlog.gatewayapi.parse.ParseResult;

/**
 * The served config at one point of the log: what the last applied commit left, plus what is known about the last
 * commit processed (applied or rejected). Immutable; {@link #apply} returns the next state.
 *
 * @param resources the objects served, by key
 * @param documents the canonical JSON document of each served object (what a new commit is compared with)
 * @param files the file of the repository each served object was read from
 * @param unreadable objects whose recorded document this meshlog cannot read any more (recorded by another
 *                   version): kept in {@code documents}, left out of {@code resources}, with the reason; a note,
 *                   never a failure that stops a replay
 * @param pending upserts and deletes of the commit being read, not yet closed by its CommitApplied
 * @param lastProcessed sha of the last commit that was applied or rejected (where git-sync resumes)
 * @param lastApplied the last applied commit, or null
 * @param lastRejected the last rejected commit (with its diagnostics), or null
 * @param lastAppliedWarnings the warnings recorded with the last applied commit (what is valid but not applied)
 */
public record ConfigState(Map<ResourceKey, MeshResource> resources, Map<ResourceKey, String> documents,
                          Map<ResourceKey, String> files, Map<ResourceKey, String> unreadable,
                          Map<ResourceKey, ResourceUpserted> pending, String lastProcessed, CommitInfo lastApplied,
                          CommitRejected lastRejected, List<Diagnostic> lastAppliedWarnings) {

    public static final ConfigState EMPTY = new ConfigState(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), null, null, null,
            List.of());

    public ConfigState {
        lastAppliedWarnings = lastAppliedWarnings == null ? List.of() : List.copyOf(lastAppliedWarnings);
        resources = Collections.unmodifiableMap(new TreeMap<>(resources));
        documents = Collections.unmodifiableMap(new TreeMap<>(documents));
        files = Collections.unmodifiableMap(new TreeMap<>(files));
        unreadable = Collections.unmodifiableMap(new TreeMap<>(unreadable));
        pending = Collections.unmodifiableMap(new TreeMap<>(pending));
    }

    /** True between commits: when {@link #resources()} is a state some commit produced. */
    public boolean atCommitBoundary() {
        return pending.isEmpty();
    }

    /** The state after one more event (copies the maps: fold many events with a {@link Folder}). */
    public ConfigState apply(ConfigEvent event) {
        Folder f = new Folder(this);
        f.apply(event);
        return f.state();
    }

    /** Folds events in log order. */
    public static ConfigState replay(List<ConfigEvent> events) {
        Folder f = new Folder(EMPTY);
        events.forEach(f::apply);
        return f.state();
    }

    /** The served objects of one kind. */
    public <T extends MeshResource> List<T> all(Class<T> type) {
        return resources.values().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /**
     * Folds a long run of events in time linear in their number (a commit of thousands of objects, a replay of the
     * whole log); {@link #state()} copies once, at a commit boundary, when a reader needs an immutable value.
     */
    public static final class Folder {

        private final TreeMap<ResourceKey, MeshResource> resources;
        private final TreeMap<ResourceKey, String> documents;
        private final TreeMap<ResourceKey, String> files;
        private final TreeMap<ResourceKey, String> unreadable;
        private final TreeMap<ResourceKey, ResourceUpserted> pending; // null value: deleted by the pending commit
        private String lastProcessed;
        private CommitInfo lastApplied;
        private CommitRejected lastRejected;
        private List<Diagnostic> lastAppliedWarnings;

        public Folder(ConfigState start) {
            resources = new TreeMap<>(start.resources());
            documents = new TreeMap<>(start.documents());
            files = new TreeMap<>(start.files());
            unreadable = new TreeMap<>(start.unreadable());
            pending = new TreeMap<>(start.pending());
            lastProcessed = start.lastProcessed();
            lastApplied = start.lastApplied();
            lastRejected = start.lastRejected();
            lastAppliedWarnings = start.lastAppliedWarnings();
        }

        public void apply(ConfigEvent event) {
            if (event instanceof ResourceUpserted u) {
                pending.put(u.key(), u);
            } else if (event instanceof ResourceDeleted d) {
                pending.put(d.key(), null);
            } else if (event instanceof CommitApplied a) {
                pending.forEach((k, v) -> {
                    resources.remove(k);
                    documents.remove(k);
                    files.remove(k);
                    unreadable.remove(k);
                    if (v != null) {
                        documents.put(k, v.document());
                        files.put(k, v.file());
                        ParseResult parsed = ConfigParser.parseJson(v.file(), v.document());
                        if (parsed.resources().size() == 1 && !parsed.diagnostics().stream()
                                .anyMatch(Diagnostic::isError)) {
                            resources.put(k, parsed.resources().get(0).resource());
                        } else {
                            unreadable.put(k, reason(v, parsed));
                        }
                    }
                });
                pending.clear();
                lastProcessed = a.info().sha();
                lastApplied = a.info();
                lastAppliedWarnings = a.warnings();
            } else if (event instanceof CommitRejected r) {
                pending.clear();
                lastProcessed = r.info().sha();
                lastRejected = r;
            }
        }

        public boolean atCommitBoundary() {
            return pending.isEmpty();
        }

        public ConfigState state() {
            return new ConfigState(resources, documents, files, unreadable, pending, lastProcessed, lastApplied, lastRejected,
                    lastAppliedWarnings);
        }

        /**
         * Why a recorded document no longer reads (parsed only when its commit is applied, so a rejected or aborted
         * commit costs no parsing): a document another meshlog version accepted, this one refuses.
         */
        private static String reason(ResourceUpserted u, ParseResult parsed) {
            return parsed.diagnostics().stream().filter(Diagnostic::isError).findFirst()
                    .map(d -> d.code() + " " + (d.path().isEmpty() ? "" : d.path() + ": ") + d.message())
                    .orElse("the document holds no object");
        }
    }
}
