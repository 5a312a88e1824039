package meshlog.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import meshlog.gitsync.SyncListener;
import meshlog.gitsync.git.ConfigRepository;

/**
 * git-sync's own metrics, named the Prometheus way (counters end in {@code _total}, the histogram in
 * {@code _seconds}): commits applied and rejected, failed fetches of a remote, and the time from a poll seeing a
 * commit to its transaction being in Kafka. One binder for {@code meshlog git-sync} (whose terms as leader come and
 * go: the counts outlive them) and for {@code up}.
 */
final class GitSyncMetrics implements SyncListener {

    /** Buckets of {@code meshlog_git_sync_commit_to_log_seconds}: a commit takes milliseconds to seconds. */
    static final Duration[] COMMIT_TO_LOG_BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final Timer commitToLog;

    private GitSyncMetrics(Timer commitToLog) {
        this.commitToLog = commitToLog;
    }

    static GitSyncMetrics bind(MeterRegistry r, ConfigRepository repo) {
        GitSyncMetrics m = new GitSyncMetrics(Timer.builder("meshlog_git_sync_commit_to_log")
                .description("from the poll that saw a commit on the branch to its events committed in Kafka")
                .serviceLevelObjectives(COMMIT_TO_LOG_BUCKETS).register(r));
        FunctionCounter.builder("meshlog_git_sync_commits_applied", m.applied, AtomicLong::get)
                .description("commits recorded as applied").register(r);
        FunctionCounter.builder("meshlog_git_sync_commits_rejected", m.rejected, AtomicLong::get)
                .description("commits recorded as rejected (invalid, unsigned, over a limit)").register(r);
        FunctionCounter.builder("meshlog_git_sync_fetch_failures", repo, ConfigRepository::fetchFailures)
                .description("fetches of the remote that failed (0 for a local repository)").register(r);
        return m;
    }

    @Override
    public void recorded(boolean applied, long seenToLoggedNanos) {
        (applied ? this.applied : rejected).incrementAndGet();
        commitToLog.record(seenToLoggedNanos, TimeUnit.NANOSECONDS);
    }
}
