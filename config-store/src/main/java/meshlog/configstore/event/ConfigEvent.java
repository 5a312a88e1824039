package meshlog.configstore.event;

import java.time.Instant;
import java.util.List;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.ResourceKey;

/**
 * One record of the {@code meshlog.config-events} topic. A git commit becomes one Kafka transaction: its resource
 * changes, then a {@link CommitApplied}; or a lone {@link CommitRejected}. Readers therefore act on a commit only at
 * its closing event.
 */
public sealed interface ConfigEvent {

    /** The config repository this event belongs to (also the record key). */
    String repo();

    /** The git commit this event belongs to. */
    String commit();

    /** An object was created or changed; {@code document} is its whole document as canonical JSON. */
    record ResourceUpserted(String repo, String commit, ResourceKey key, String file, int line, String document)
            implements ConfigEvent {
    }

    /** An object is no longer in the repository. */
    record ResourceDeleted(String repo, String commit, ResourceKey key) implements ConfigEvent {
    }

    /** Closes an accepted commit; {@code warnings} did not block it. */
    record CommitApplied(String repo, CommitInfo info, List<ResourceKey> changed, List<Diagnostic> warnings)
            implements ConfigEvent {
        public CommitApplied {
            changed = List.copyOf(changed);
            warnings = List.copyOf(warnings);
        }

        @Override
        public String commit() {
            return info.sha();
        }
    }

    /** A commit whose config had errors: nothing of it is served. */
    record CommitRejected(String repo, CommitInfo info, List<Diagnostic> diagnostics) implements ConfigEvent {
        public CommitRejected {
            diagnostics = List.copyOf(diagnostics);
        }

        @Override
        public String commit() {
            return info.sha();
        }
    }

    /**
     * The followed branch was rewritten (a force-push, a reset): its head {@code commit} does not descend from
     * {@code previous}, the last commit recorded, which is no longer on {@code branch}. Opens the transaction of
     * {@code commit}, which git-sync then judges as a whole tree against what is applied (not as a diff from
     * {@code previous}); that commit's {@link CommitApplied} or {@link CommitRejected} follows it.
     */
    record BranchRewritten(String repo, String commit, String previous, String branch) implements ConfigEvent {
    }

    /**
     * One object of a revision being pinned ({@code meshlog rollback --pin}): written by the pin writer, in the
     * transaction its {@link RevisionPinned} closes; {@code commit} is the pinned commit.
     */
    record PinnedResource(String repo, String commit, ResourceKey key, String file, String document)
            implements ConfigEvent {
    }

    /**
     * Closes a pin: from here on proxies are served the objects of the {@link PinnedResource} events before it
     * (the tree of {@code commit}), whatever later commits git-sync records, until a {@link RevisionUnpinned} or
     * an applied commit whose tree equals the pinned one.
     */
    record RevisionPinned(String repo, String commit, String by, Instant time, String reason) implements ConfigEvent {
    }

    /** Ends a pin: proxies are served the last applied commit again. {@code commit} is the one that was pinned. */
    record RevisionUnpinned(String repo, String commit, String by, Instant time) implements ConfigEvent {
    }

    /**
     * A record of the log this meshlog cannot read: an event type or schema version it does not know (written by
     * a newer meshlog, read after a downgrade) or a damaged record. Made only by the read commands' readers
     * ({@code audit}, {@code state}, {@code diff}), which show it as a note and fold past it; never written, and
     * never handed to what serves proxies, which stops instead (a state that skipped an event would be wrong).
     *
     * @param commit the {@code commit} (or {@code info.sha}) field when the record has one, else null
     * @param type the record's {@code type} field as written, cut and escaped for display
     * @param schemaVersion the record's {@code schemaVersion}, or -1
     * @param reason why it cannot be read, cut and escaped for display
     * @param recordHash SHA-256 of the record's bytes, hex: the record's identity without its content
     */
    record UnreadableEvent(String repo, String commit, String type, int schemaVersion, String reason,
                           String recordHash) implements ConfigEvent {

        /** {@code a record this meshlog cannot read (type T, schemaVersion V, commit C: reason)}, for notes. */
        public String describe() {
            return "a record this meshlog cannot read (type " + type + ", schemaVersion " + schemaVersion
                    + (commit == null ? "" : ", commit " + commit) + ": " + reason + ")";
        }
    }
}
