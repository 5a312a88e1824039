package meshlog.configstore.kafka;

/**
 * A transactional write to the log failed. Unless {@link #outcomeUnknown()}, the transaction was aborted and nothing
 * of it is visible to {@code read_committed} readers. When {@link #fenced()}, another writer with the same
 * transactional id has taken over: this writer is finished and every later write fails too.
 */
public final class LogWriteException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final boolean fenced;
    private final boolean outcomeUnknown;

    public LogWriteException(String message, boolean fenced, boolean outcomeUnknown, Throwable cause) {
        super(message, cause);
        this.fenced = fenced;
        this.outcomeUnknown = outcomeUnknown;
    }

    /** Another writer with the same transactional id took over. */
    public boolean fenced() {
        return fenced;
    }

    /**
     * The commit request was sent but not acknowledged in time: the transaction may or may not be in the log.
     * Read the log to find out (git-sync resumes from the last {@code CommitApplied} it finds there).
     */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
