package meshlog.reconciler;

import java.util.List;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.reconciler.ir.TranslationNote;

/**
 * A computed snapshot and what translation skipped on the way (for logs, {@code meshlog status} and the audit
 * trail). Only the snapshot is published.
 */
public record SnapshotResult(ScopeSnapshot snapshot, List<TranslationNote> notes) {
    public SnapshotResult {
        notes = List.copyOf(notes);
    }
}
