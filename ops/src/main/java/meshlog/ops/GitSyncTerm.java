package meshlog.ops;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.kafka.LogWriteException;
import meshlog.gitsync.CommitLog;
import meshlog.gitsync.GitSync;
import meshlog.gitsync.TreeLimits;
import meshlog.gitsync.git.ConfigRepository;
import meshlog.gitsync.kafka.KafkaCommitLog;
import meshlog.gitsync.signing.CommitSignatures;

/**
 * One leader's term of a git-sync: its own transactional writer (opening it fences every older writer and settles
 * the transaction one may have left open), the log read to its end, and the poll loop resuming after the last commit
 * recorded. A term that has ended writes nothing more, even from a poll already under way.
 */
final class GitSyncTerm implements AutoCloseable {

    private final KafkaCommitLog log;
    private final GitSync sync;
    private final AtomicBoolean active;

    private GitSyncTerm(KafkaCommitLog log, GitSync sync, AtomicBoolean active) {
        this.log = log;
        this.sync = sync;
        this.active = active;
    }

    /**
     * @param fenced told when a write finds a newer writer in charge: this term must end
     * @throws RuntimeException if the broker cannot be reached, or the log not read
     */
    static GitSyncTerm begin(String bootstrap, String repoId, ConfigRepository repo, TreeLimits limits,
            CommitSignatures signatures, Duration poll, Consumer<String> fenced,
            meshlog.gitsync.SyncListener listener) {
        KafkaCommitLog log = new KafkaCommitLog(bootstrap, repoId);
        try {
            AtomicBoolean active = new AtomicBoolean(true);
            GitSync sync = new GitSync(repoId, repo, new TermLog(log, active, fenced), limits, signatures)
                    .reportTo(listener).start(poll);
            return new GitSyncTerm(log, sync, active);
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
    }

    GitSync sync() {
        return sync;
    }

    /** Stops the poll loop, then closes the writer. */
    @Override
    public void close() {
        active.set(false);
        sync.close();
        log.close();
    }

    /** The log as this term writes it: refused once the term has ended; fencing reported. */
    private record TermLog(KafkaCommitLog log, AtomicBoolean active, Consumer<String> fenced) implements CommitLog {

        @Override
        public List<ConfigEvent> readAll() {
            return log.readAll();
        }

        @Override
        public void append(List<ConfigEvent> commitEvents) {
            if (!active.get()) {
                throw new IllegalStateException("this git-sync no longer leads; it writes nothing");
            }
            try {
                log.append(commitEvents);
            } catch (LogWriteException e) {
                if (e.fenced()) {
                    active.set(false);
                    fenced.accept("its writer was fenced by a newer one");
                }
                throw e;
            }
        }
    }
}
