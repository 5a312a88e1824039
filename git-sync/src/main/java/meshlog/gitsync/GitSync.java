package meshlog.gitsync;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import meshlog.configstore.LogSafe;
import meshlog.configstore.event.CommitInfo;
import meshlog.configstore.event.ConfigEvent.BranchRewritten;
import meshlog.configstore.state.ConfigState;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gitsync.git.ConfigRepository;
import meshlog.gitsync.signing.CommitSignatures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one branch and records every new commit in the log as one transaction. Resumes after the last commit the
 * log holds (applied or rejected), so a restart neither skips nor repeats a commit.
 */
public final class GitSync implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GitSync.class);

    private final String repoId;
    private final ConfigRepository repo;
    private final CommitLog log;
    private final TreeLimits limits;
    private final CommitSignatures signatures;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "git-sync");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.atomic.AtomicBoolean pollRequested =
            new java.util.concurrent.atomic.AtomicBoolean();
    private volatile ConfigState applied;
    private volatile Throwable lastFailure;
    private boolean resync;
    private volatile SyncListener listener = SyncListener.NONE;

    /** With the default {@link TreeLimits}. */
    public GitSync(String repoId, ConfigRepository repo, CommitLog log) {
        this(repoId, repo, log, TreeLimits.DEFAULTS);
    }

    /** Reads the log to learn where to resume; does not poll until {@link #start}. */
    public GitSync(String repoId, ConfigRepository repo, CommitLog log, TreeLimits limits) {
        this(repoId, repo, log, limits, null);
    }

    /**
     * As {@link #GitSync(String, ConfigRepository, CommitLog, TreeLimits)}, applying only commits signed by a key
     * {@code signatures} allows.
     *
     * @param signatures null: signatures are not checked
     */
    public GitSync(String repoId, ConfigRepository repo, CommitLog log, TreeLimits limits,
                   CommitSignatures signatures) {
        this.repoId = repoId;
        this.repo = repo;
        this.log = log;
        this.limits = limits;
        this.signatures = signatures;
        this.applied = ConfigState.replay(log.readAll());
    }

    /** Where to report each commit recorded (metrics); set before {@link #start}. */
    public GitSync reportTo(SyncListener listener) {
        this.listener = listener;
        return this;
    }

    /** Polls the branch every {@code interval} on a background thread. */
    public GitSync start(Duration interval) {
        poller.scheduleWithFixedDelay(this::pollQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Polls now, on the poller's thread, instead of waiting for the next interval; fetches a remote even within a
     * failed fetch's backoff. Requests made while one is pending are one poll.
     */
    public void pollSoon() {
        if (pollRequested.compareAndSet(false, true)) {
            repo.wake();
            try {
                poller.execute(() -> {
                    pollRequested.set(false);
                    pollQuietly();
                });
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                pollRequested.set(false);
            }
        }
    }

    /** The last commit recorded in the log, or null. */
    public String lastProcessed() {
        return applied.lastProcessed();
    }

    /** Null while polling works; the last failure (git or Kafka unreachable) otherwise. */
    public Throwable lastFailure() {
        return lastFailure;
    }

    /**
     * Records every commit after the last processed one, oldest first.
     *
     * @return how many commits were recorded
     */
    public synchronized int pollOnce() throws IOException {
        if (resync) {
            applied = ConfigState.replay(log.readAll());
            resync = false;
        }
        repo.refresh();
        long seen = System.nanoTime();
        String head = repo.head();
        if (head == null || head.equals(applied.lastProcessed())) {
            return 0;
        }
        String last = applied.lastProcessed();
        if (last != null && !repo.descendsFrom(head, last)) {
            // A force-push or reset: the commits since `last` are gone, the head is applied as the tree it is.
            LOG.warn("branch {} rewritten: head {} does not descend from {}, the last commit recorded; applying {}"
                    + " as a whole", LogSafe.value(repo.branch()), CommitInfo.shortSha(head),
                    CommitInfo.shortSha(last), CommitInfo.shortSha(head));
            record(head, new BranchRewritten(repoId, head, last, repo.branch()), seen);
            return 1;
        }
        List<String> commits = repo.commitsAfter(last, head);
        for (String sha : commits) {
            record(sha, null, seen);
        }
        return commits.size();
    }

    private void record(String sha, BranchRewritten rewrite, long seen) throws IOException {
        CommitInfo info = repo.info(sha);
        // Before any file is read: an unsigned commit costs nothing, whatever it holds.
        Diagnostic unsigned = signatures == null ? null : signatures.refusal(sha,
                repo.rawCommit(sha, CommitSignatures.MAX_COMMIT_BYTES));
        CommitPlanner.Plan plan = unsigned != null ? CommitPlanner.refused(repoId, applied, info, unsigned, rewrite)
                : CommitPlanner.plan(repoId, applied, info, repo.configFiles(sha, limits), rewrite);
        try {
            log.append(plan.events());
        } catch (RuntimeException e) {
            // The commit may or may not be in the log (a timed-out transaction can still complete): the next poll
            // learns which from the log itself before it tries again, so the commit is recorded exactly once.
            resync = true;
            throw e;
        }
        applied = plan.next();
        listener.recorded(plan.accepted(), System.nanoTime() - seen);
        if (plan.accepted()) {
            LOG.info("commit applied {} author=\"{}\" changed={} (upserted {}, deleted {}) warnings={}",
                    info.shortSha(), LogSafe.value(info.author()), plan.upserts() + plan.deletes(), plan.upserts(),
                    plan.deletes(), plan.compiled().warnings().size());
        } else {
            List<Diagnostic> errors = plan.compiled().errors();
            LOG.warn("commit rejected {} author=\"{}\" errors={}: {}", info.shortSha(), LogSafe.value(info.author()),
                    errors.size(), LogSafe.value(errors.stream().limit(3).map(Diagnostic::format)
                            .collect(Collectors.joining("; ")), 1000));
        }
    }

    private void pollQuietly() {
        try {
            pollOnce();
            lastFailure = null;
        } catch (Exception | Error e) {
            if (lastFailure == null || !lastFailure.toString().equals(e.toString())) {
                LOG.warn("git-sync poll failed, will retry: {}", LogSafe.value(e, 500));
            }
            lastFailure = e;
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
