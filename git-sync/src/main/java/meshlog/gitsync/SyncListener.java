package meshlog.gitsync;

/** What {@link GitSync} reports of each commit it records in the log (ops turns it into metrics). */
@FunctionalInterface
public interface SyncListener {

    /** Reports nothing. */
    SyncListener NONE = (applied, seenToLoggedNanos) -> {
    };

    /**
     * A commit is in the log: applied, or rejected with its diagnostics. Called on the poller's thread.
     *
     * @param seenToLoggedNanos from the poll that saw the commit on the branch to its transaction's commit
     */
    void recorded(boolean applied, long seenToLoggedNanos);
}
