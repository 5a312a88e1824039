package meshlog.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import meshlog.configstore.LogSafe;
import meshlog.configstore.kafka.Topics;
import meshlog.gitsync.GitSync;
import meshlog.gitsync.TreeLimits;
import meshlog.gitsync.git.ConfigRepository;
import meshlog.gitsync.kafka.KafkaCommitLog;
import meshlog.gitsync.signing.CommitSignatures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code meshlog git-sync}: follows a branch and writes each commit to the log as one transaction. */
final class GitSyncComponent implements Component {

    private static final Logger LOG = LoggerFactory.getLogger("meshlog.git-sync");
    static final Set<String> FLAGS = Set.of("repo", "branch", "poll", "max-files", "max-repo-bytes",
            "max-commit-bytes", "max-commit-nodes", "allowed-pgp-keys", "allowed-signers");
    static final Set<String> BOOLEANS = UpOptions.BOOLEANS;

    /**
     * Its own flags.
     *
     * @param signatures null: commits are applied signed or not
     */
    record Options(Path repo, String branch, Duration poll, TreeLimits limits, CommitSignatures signatures) {
        static Options parse(Flags f) {
            if (!f.has("repo")) {
                throw new Flags.UsageException("--repo DIR is required");
            }
            return new Options(Path.of(f.get("repo", "")), f.get("branch", null),
                    f.duration("poll", Duration.ofSeconds(1)), UpOptions.limits(f), UpOptions.signatures(f));
        }
    }

    private final ConfigRepository repo;
    private final KafkaCommitLog log;
    private final GitSync sync;

    private GitSyncComponent(ConfigRepository repo, KafkaCommitLog log, GitSync sync) {
        this.repo = repo;
        this.log = log;
        this.sync = sync;
    }

    static GitSyncComponent start(String bootstrap, Path dataDir, Options o) {
        ConfigRepository repo = null;
        KafkaCommitLog log = null;
        try {
            repo = ConfigRepository.open(o.repo().toFile(), o.branch());
            Topics.ensure(bootstrap);
            RollbackCommand.record(dataDir, o.repo().toAbsolutePath().toString(), repo.branch());
            log = new KafkaCommitLog(bootstrap, MeshlogNode.REPO_ID);
            GitSync sync = new GitSync(MeshlogNode.REPO_ID, repo, log, o.limits(), o.signatures()).start(o.poll());
            LOG.info("started git-sync repo={} branch={} poll={}ms", LogSafe.value(o.repo()),
                    LogSafe.value(repo.branch()), o.poll().toMillis());
            MeshlogNode.logSignatures(LOG, o.signatures());
            return new GitSyncComponent(repo, log, sync);
        } catch (IOException | RuntimeException e) {
            closeQuietly(log);
            closeQuietly(repo);
            throw e instanceof IOException io ? new IllegalArgumentException("--repo " + o.repo() + ": "
                    + io.getMessage(), io) : (RuntimeException) e;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception ignored) {
            // already failing; the first error is the one to report
        }
    }

    @Override
    public String name() {
        return "git-sync";
    }

    @Override
    public Map<String, String> notReady() {
        Throwable f = sync.lastFailure();
        if (f != null) {
            return Map.of("git-sync", String.valueOf(f));
        }
        return sync.lastProcessed() == null && hasHead()
                ? Map.of("git-sync", "has not written the branch head yet") : Map.of();
    }

    private boolean hasHead() {
        try {
            return repo.head() != null;
        } catch (IOException e) {
            return true;
        }
    }

    record Status(String repo, String branch, String lastProcessed, String lastFailure) {
    }

    @Override
    public Object status() {
        Throwable f = sync.lastFailure();
        return new Status(repo.toString(), repo.branch(), sync.lastProcessed(), f == null ? null : f.toString());
    }

    @Override
    public void bindMetrics(MeterRegistry registry) {
        Gauge.builder("meshlog_git_sync_failing", () -> sync.lastFailure() == null ? 0 : 1)
                .description("1 while the last read of git or write to Kafka failed").register(registry);
    }

    @Override
    public Runnable heartbeat() {
        return sync::lastProcessed;
    }

    @Override
    public void close() {
        for (AutoCloseable c : List.<AutoCloseable>of(sync, log, repo)) {
            closeQuietly(c);
        }
    }
}
