package meshlog.configstore.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.event.CommitInfo;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.event.ConfigEvent.PinnedResource;
import meshlog.configstore.event.ConfigEvent.RevisionPinned;
import meshlog.configstore.event.ConfigEvent.RevisionUnpinned;
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
 * @param resources the objects served, by key: those of the pinned revision while one is pinned, else
 *                  {@code appliedResources}
 * @param documents the canonical JSON document of each object of the last applied commit (what a new commit is
 *                  compared with)
 * @param files the file of the repository each served object was read from
 * @param unreadable objects whose recorded document this meshlog cannot read any more (recorded by another
 *                   version): kept in {@code documents}, left out of {@code resources}, with the reason; a note,
 *                   never a failure that stops a replay
 * @param pending upserts and deletes of the commit being read, not yet closed by its CommitApplied
 * @param lastProcessed sha of the last commit that was applied or rejected (where git-sync resumes)
 * @param lastApplied the last applied commit, or null
 * @param lastRejected the last rejected commit (with its diagnostics), or null
 * @param lastAppliedWarnings the warnings recorded with the last applied commit (what is valid but not applied)
 * @param appliedResources the objects of the last applied commit (served unless a revision is pinned)
 * @param pin the pinned revision, or null
 * @param pendingPin objects of a pin being read, not yet closed by its RevisionPinned
 * @param unreadableEvents records of the log folded past because this meshlog cannot read them (a newer meshlog's
 *                         events, read after a downgrade), one note each, the first {@value #MAX_EVENT_NOTES}: the
 *                         state may lack their change, and the read commands say so instead of stopping
 */
public record ConfigState(Map<ResourceKey, MeshResource> resources, Map<ResourceKey, String> documents,
                          Map<ResourceKey, String> files, Map<ResourceKey, String> unreadable,
                          Map<ResourceKey, ResourceUpserted> pending, String lastProcessed, CommitInfo lastApplied,
                          CommitRejected lastRejected, List<Diagnostic> lastAppliedWarnings,
                          Map<ResourceKey, MeshResource> appliedResources, Pin pin,
                          Map<ResourceKey, PinnedResource> pendingPin, List<String> unreadableEvents) {

    public static final int MAX_EVENT_NOTES = 50;

    public static final ConfigState EMPTY = new ConfigState(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), null,
            null, null, List.of(), Map.of(), null, Map.of(), List.of());

    /**
     * A pinned revision: served instead of the last applied commit.
     *
     * @param documents the pinned objects' documents (what "git matches the pin" is judged by)
     */
    public record Pin(String commit, String by, java.time.Instant time, String reason,
                      Map<ResourceKey, MeshResource> resources, Map<ResourceKey, String> documents) {
        public Pin {
            resources = Collections.unmodifiableMap(new TreeMap<>(resources));
            documents = Collections.unmodifiableMap(new TreeMap<>(documents));
        }
    }

    public ConfigState {
        lastAppliedWarnings = lastAppliedWarnings == null ? List.of() : List.copyOf(lastAppliedWarnings);
        unreadableEvents = unreadableEvents == null ? List.of() : List.copyOf(unreadableEvents);
        resources = Collections.unmodifiableMap(new TreeMap<>(resources));
        documents = Collections.unmodifiableMap(new TreeMap<>(documents));
        files = Collections.unmodifiableMap(new TreeMap<>(files));
        unreadable = Collections.unmodifiableMap(new TreeMap<>(unreadable));
        pending = Collections.unmodifiableMap(new TreeMap<>(pending));
        appliedResources = Collections.unmodifiableMap(new TreeMap<>(appliedResources));
        pendingPin = Collections.unmodifiableMap(new TreeMap<>(pendingPin));
    }

    /** True between commits (and pins): when {@link #resources()} is a state some commit or pin produced. */
    public boolean atCommitBoundary() {
        return pending.isEmpty() && pendingPin.isEmpty();
    }

    /** The documents of what is served: the pinned revision's, else the last applied commit's. */
    public Map<ResourceKey, String> servedDocuments() {
        return pin != null ? pin.documents() : documents;
    }

    /** The commit whose config is served: the pinned one, else the last applied, else null. */
    public String servedCommit() {
        return pin != null ? pin.commit() : lastApplied == null ? null : lastApplied.sha();
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

        // Hash maps, not sorted ones: a replay folds every event through them, and state() sorts once (a sorted
        // map compares keys field by field at every step: most of a replay's fold).
        private final HashMap<ResourceKey, MeshResource> resources;
        private final HashMap<ResourceKey, String> documents;
        private final HashMap<ResourceKey, String> files;
        private final HashMap<ResourceKey, String> unreadable;
        private final HashMap<ResourceKey, ResourceUpserted> pending; // null value: deleted by the pending commit
        private String lastProcessed;
        private CommitInfo lastApplied;
        private CommitRejected lastRejected;
        private List<Diagnostic> lastAppliedWarnings;
        private Pin pin;
        private final TreeMap<ResourceKey, PinnedResource> pendingPin;
        /**
         * Objects whose document changed since {@link #state()} last ran: parsed only then. A replay of the whole
         * log parses each object once at its end instead of at every commit that changed it (the typed parse was
         * more than half the time of a replay); the result is the same, the parse being a function of the file and
         * the document alone.
         */
        private final java.util.Set<ResourceKey> unparsed = new java.util.HashSet<>();
        /** A pin closed since {@link #state()} last ran, its objects not parsed yet; null when none. */
        private RevisionPinned unparsedPin;
        private Map<ResourceKey, PinnedResource> unparsedPinObjects;
        /** The documents of {@link #unparsedPinObjects}, made once: every applied commit is compared with them. */
        private Map<ResourceKey, String> unparsedPinDocuments;
        /**
         * The recorded objects of {@link #pin} (with their files), for {@link #asEvents}; null when this folder
         * started from a pinned state, whose {@link Pin} does not keep its objects' files.
         */
        private Map<ResourceKey, PinnedResource> pinObjects;
        private final List<String> unreadableEvents;

        public Folder(ConfigState start) {
            unreadableEvents = new ArrayList<>(start.unreadableEvents());
            resources = new HashMap<>(start.appliedResources());
            pin = start.pin();
            pinObjects = pin == null ? Map.of() : null;
            pendingPin = new TreeMap<>(start.pendingPin());
            documents = new HashMap<>(start.documents());
            files = new HashMap<>(start.files());
            unreadable = new HashMap<>(start.unreadable());
            pending = new HashMap<>(start.pending());
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
                    if (v != null) {
                        documents.put(k, v.document());
                        files.put(k, v.file());
                        unparsed.add(k); // its parse (or why it has none) is replaced when it is parsed
                    } else {
                        resources.remove(k);
                        unreadable.remove(k);
                        documents.remove(k);
                        files.remove(k);
                        unparsed.remove(k);
                    }
                });
                pending.clear();
                lastProcessed = a.info().sha();
                lastApplied = a.info();
                lastAppliedWarnings = a.warnings();
                if (pinnedDocuments() != null && pinnedDocuments().equals(documents)) {
                    pin = null; // git matches the pinned revision: the pin has done its job
                    unparsedPin = null;
                    unparsedPinObjects = null;
                    unparsedPinDocuments = null;
                }
            } else if (event instanceof CommitRejected r) {
                pending.clear();
                lastProcessed = r.info().sha();
                lastRejected = r;
            } else if (event instanceof ConfigEvent.BranchRewritten) {
                // Changes nothing served: the commit it opens carries the new head's whole tree.
            } else if (event instanceof PinnedResource p) {
                pendingPin.put(p.key(), p);
            } else if (event instanceof RevisionPinned p) {
                // Parsed by state(): a replay passing many pins parses only the one in force at its end.
                unparsedPin = p;
                unparsedPinObjects = new TreeMap<>();
                pendingPin.values().stream().filter(r -> r.commit().equals(p.commit()))
                        .forEach(r -> unparsedPinObjects.put(r.key(), r));
                unparsedPinDocuments = new TreeMap<>();
                unparsedPinObjects.forEach((k, r) -> unparsedPinDocuments.put(k, r.document()));
                pendingPin.clear();
                pin = null;
            } else if (event instanceof ConfigEvent.UnreadableEvent u) {
                // Folded past, not guessed at: what it changed is unknown, so the state only says it is missing.
                if (unreadableEvents.size() < MAX_EVENT_NOTES) {
                    unreadableEvents.add(u.describe() + "; the state after it may lack its change");
                }
            } else if (event instanceof RevisionUnpinned) {
                pendingPin.clear();
                pin = null;
                unparsedPin = null;
                unparsedPinObjects = null;
                unparsedPinDocuments = null;
            } else {
                throw new AssertionError(event);
            }
        }

        /** The documents of the pin in force, parsed or not; null when nothing is pinned. */
        private Map<ResourceKey, String> pinnedDocuments() {
            if (unparsedPin != null) {
                return unparsedPinDocuments;
            }
            return pin == null ? null : pin.documents();
        }

        /** The pin closed by {@code p}: its objects (unreadable ones are left out). */
        private static Pin pinOf(RevisionPinned p, Map<ResourceKey, PinnedResource> objects) {
            Map<ResourceKey, MeshResource> pinned = new TreeMap<>();
            Map<ResourceKey, String> docs = new TreeMap<>();
            objects.values().forEach(r -> {
                docs.put(r.key(), r.document());
                ParseResult parsed = ConfigParser.parseJson(r.file(), r.document());
                if (parsed.resources().size() == 1 && parsed.diagnostics().stream().noneMatch(Diagnostic::isError)) {
                    pinned.put(r.key(), parsed.resources().get(0).resource());
                }
            });
            return new Pin(p.commit(), p.by(), p.time(), p.reason(), pinned, docs);
        }

        /** Parses what changed since the last call: the objects of applied commits and a pin closed since. */
        private void parseChanged() {
            for (ResourceKey k : unparsed) {
                ParseResult parsed = ConfigParser.parseJson(files.get(k), documents.get(k));
                if (parsed.resources().size() == 1 && parsed.diagnostics().stream().noneMatch(Diagnostic::isError)) {
                    resources.put(k, parsed.resources().get(0).resource());
                    unreadable.remove(k);
                } else {
                    unreadable.put(k, reason(parsed));
                    resources.remove(k);
                }
            }
            unparsed.clear();
            if (unparsedPin != null) {
                pin = pinOf(unparsedPin, unparsedPinObjects);
                pinObjects = unparsedPinObjects;
                unparsedPin = null;
                unparsedPinObjects = null;
                unparsedPinDocuments = null;
            }
        }

        public boolean atCommitBoundary() {
            return pending.isEmpty() && pendingPin.isEmpty();
        }

        /**
         * Events of {@code repo} that fold, from {@link ConfigState#EMPTY}, to this folder's state: a checkpoint of
         * the fold in the log's own versioned format. Every served object as an upsert closed by the last applied
         * commit (its warnings), the last rejected commit before or after it as it came, and the pin in force as
         * its objects and {@link RevisionPinned}. Objects are not parsed: the fold of these events parses them.
         *
         * @throws IllegalStateException between the events of a commit or a pin (nothing to checkpoint there)
         */
        public List<ConfigEvent> asEvents(String repo) {
            if (!atCommitBoundary() || (lastApplied == null && !documents.isEmpty())) {
                throw new IllegalStateException("no state to checkpoint in the middle of a commit");
            }
            if (pin != null && pinObjects == null) {
                throw new IllegalStateException("a folder started from a pinned state does not know its files");
            }
            List<ConfigEvent> out = new ArrayList<>();
            boolean rejectedLast = lastRejected != null && lastRejected.info().sha().equals(lastProcessed)
                    && (lastApplied == null || !lastApplied.sha().equals(lastProcessed));
            if (lastRejected != null && !rejectedLast) {
                out.add(lastRejected);
            }
            if (lastApplied != null) {
                new TreeMap<>(documents).forEach((k, doc) -> out.add(new ResourceUpserted(repo, lastApplied.sha(), k, files.get(k),
                        0, doc)));
                out.add(new CommitApplied(repo, lastApplied, List.of(), lastAppliedWarnings));
            }
            if (rejectedLast) {
                out.add(lastRejected);
            }
            if (unparsedPin != null) {
                out.addAll(unparsedPinObjects.values());
                out.add(unparsedPin);
            } else if (pin != null) {
                out.addAll(pinObjects.values());
                out.add(new RevisionPinned(repo, pin.commit(), pin.by(), pin.time(), pin.reason()));
            }
            return out;
        }

        public ConfigState state() {
            parseChanged();
            return new ConfigState(pin != null ? pin.resources() : resources, documents, files, unreadable, pending,
                    lastProcessed, lastApplied, lastRejected, lastAppliedWarnings, resources, pin, pendingPin,
                    unreadableEvents);
        }

        /** True once an unreadable record was folded past: {@link #asEvents} cannot say so, so no checkpoint. */
        public boolean foldedPastUnreadable() {
            return !unreadableEvents.isEmpty();
        }


        /**
         * Why a recorded document no longer reads (parsed only when its commit is applied, so a rejected or aborted
         * commit costs no parsing): a document another meshlog version accepted, this one refuses.
         */
        private static String reason(ParseResult parsed) {
            return parsed.diagnostics().stream().filter(Diagnostic::isError).findFirst()
                    .map(d -> d.code() + " " + (d.path().isEmpty() ? "" : d.path() + ": ") + d.message())
                    .orElse("the document holds no object");
        }
    }
}
