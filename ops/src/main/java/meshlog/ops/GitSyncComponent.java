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
import meshlog.configstore.kafka.KafkaEventLog;
import meshlog.configstore.kafka.LeaderElection;
import meshlog.gitsync.TreeLimits;
import meshlog.gitsync.git.ConfigRepository;
import meshlog.gitsync.git.GitRemote;
import meshlog.gitsync.signing.CommitSignatures;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code meshlog git-sync}: follows a branch and writes each commit to the log as one transaction. Any number may run
 * on one repository and Kafka: they elect one leader, which writes; the others stand by, ready to take over when it
 * dies or leaves (docs/operations.md, "Two git-syncs").
 */
final class GitSyncComponent implements Component, LeaderElection.Leadership {

    private static final Logger LOG = LoggerFactory.getLogger("meshlog.git-sync");
    static final Set<String> FLAGS = Set.of("repo", "branch", "poll", "leader-timeout", "max-files",
            "max-repo-bytes", "max-commit-bytes", "max-commit-nodes", "allowed-pgp-keys", "allowed-signers",
            "git-token-file", "git-token-env", "git-ssh-key", "git-known-hosts");
    static final Set<String> BOOLEANS = UpOptions.BOOLEANS;
    /** Kafka's lowest session timeout by default ({@code group.min.session.timeout.ms}): works on any broker. */
    static final Duration LEADER_TIMEOUT = Duration.ofSeconds(6);

    /**
     * Its own flags.
     *
     * @param repo a directory or a remote's URL, as {@code up --repo} takes it
     * @param remote that URL with its credential flags; null for a directory
     * @param signatures null: commits are applied signed or not
     */
    record Options(String repo, GitRemote remote, String branch, Duration poll, Duration leaderTimeout,
            TreeLimits limits, CommitSignatures signatures) {
        static Options parse(Flags f) {
            if (!f.has("repo")) {
                throw new Flags.UsageException("--repo DIR is required");
            }
            Duration leaderTimeout = f.duration("leader-timeout", LEADER_TIMEOUT);
            if (leaderTimeout.toMillis() < 1000 || leaderTimeout.toMillis() > 300_000) {
                throw new Flags.UsageException("--leader-timeout must be between 1s and 5m, not " + leaderTimeout);
            }
            String repo = f.get("repo", "");
            return new Options(repo, UpOptions.remote(f, repo), f.get("branch", null),
                    f.duration("poll", Duration.ofSeconds(1)), leaderTimeout, UpOptions.limits(f),
                    UpOptions.signatures(f));
        }
    }

    private final String bootstrap;
    private final Options options;
    private final ConfigRepository repo;
    private volatile LeaderElection election;
    private volatile GitSyncTerm term; // while leading
    private volatile long lastTermBeganMs = -1;
    /** Where every term reports its commits: nowhere until {@link #bindMetrics} runs. */
    private volatile meshlog.gitsync.SyncListener metrics = meshlog.gitsync.SyncListener.NONE;

    private GitSyncComponent(String bootstrap, Options options, ConfigRepository repo) {
        this.bootstrap = bootstrap;
        this.options = options;
        this.repo = repo;
    }

    static GitSyncComponent start(String bootstrap, Path dataDir, Options o) {
        ConfigRepository repo = null;
        try {
            // A remote is fetched into a mirror under the data dir, as up does: a pod's emptyDir is enough.
            repo = o.remote() != null
                    ? ConfigRepository.remote(o.remote(), dataDir.resolve(MeshlogNode.MIRRORS), o.branch())
                    : ConfigRepository.open(Path.of(o.repo()).toFile(), o.branch());
            Topics.ensure(bootstrap);
            RollbackCommand.record(dataDir, o.remote() != null ? o.remote().url()
                    : Path.of(o.repo()).toAbsolutePath().toString(), repo.branch(), o.remote());
            GitSyncComponent c = new GitSyncComponent(bootstrap, o, repo);
            c.election = LeaderElection.of(bootstrap, KafkaEventLog.transactionalId(MeshlogNode.REPO_ID),
                    identity(), new TopicPartition(Topics.CONFIG_EVENTS, 0), o.leaderTimeout(), c);
            c.election.start();
            LOG.info("started git-sync {} repo={} branch={} poll={}ms, electing a leader in group {}",
                    c.election.identity(), LogSafe.value(o.repo()), LogSafe.value(repo.branch()), o.poll().toMillis(),
                    c.election.groupId());
            MeshlogNode.logSignatures(LOG, o.signatures());
            return c;
        } catch (IOException | RuntimeException e) {
            closeQuietly(repo);
            throw e instanceof IOException io ? new IllegalArgumentException("--repo " + o.repo() + ": "
                    + io.getMessage(), io) : (RuntimeException) e;
        }
    }

    /** This process among the candidates: the host name (a pod's name in Kubernetes) and the process id. */
    static String identity() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "localhost";
            }
        }
        return host.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + ProcessHandle.current().pid();
    }

    /** Elected: opens the writer (fencing any older one), reads the log, resumes after its last commit. */
    @Override
    public void begin() {
        long t0 = System.nanoTime();
        GitSyncTerm t = GitSyncTerm.begin(bootstrap, MeshlogNode.REPO_ID, repo, options.limits(), options.signatures(),
                options.poll(),
                why -> election.stepDown(why), (applied, nanos) -> metrics.recorded(applied, nanos));
        term = t;
        lastTermBeganMs = (System.nanoTime() - t0) / 1_000_000;
        String last = t.sync().lastProcessed();
        LOG.info("git-sync {} leads: writer open (older writers fenced), log read in {} ms, resuming after {}",
                election.identity(), lastTermBeganMs, last == null ? "the start of the branch"
                        : meshlog.configstore.event.CommitInfo.shortSha(last));
    }

    /** Deposed, fenced or stopping: stops writing before it returns. */
    @Override
    public void end(String why) {
        GitSyncTerm t = term;
        term = null;
        if (t != null) {
            t.close();
            LOG.warn("git-sync {} stopped writing: {}", election.identity(), why);
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

    /**
     * A leader is ready once it has written the branch head and polls without failing; a standby once it is in the
     * group, able to take over (a 2-replica Deployment rolls only if its new, standby pod becomes ready).
     */
    @Override
    public Map<String, String> notReady() {
        GitSyncTerm t = term;
        if (t != null) {
            Throwable f = t.sync().lastFailure();
            if (f != null) {
                return Map.of("git-sync", String.valueOf(f));
            }
            return t.sync().lastProcessed() == null && hasHead()
                    ? Map.of("git-sync", "has not written the branch head yet") : Map.of();
        }
        LeaderElection e = election;
        if (e.elected()) {
            return Map.of("git-sync", "elected leader but cannot begin: " + e.failure());
        }
        if (!e.joined()) {
            String f = e.failure();
            return Map.of("git-sync", "joining leader election group " + e.groupId() + (f == null ? "" : ": " + f));
        }
        return Map.of();
    }

    @Override
    public Map<String, String> notes() {
        LeaderElection e = election;
        if (term != null) {
            return Map.of("git-sync", "leader " + e.identity() + " since " + e.leadingSince());
        }
        String leader = e.leader();
        return Map.of("git-sync", "standby " + e.identity() + "; leader is " + (leader == null ? "not known yet"
                : leader));
    }

    private boolean hasHead() {
        try {
            return repo.head() != null;
        } catch (IOException e) {
            return true;
        }
    }

    /** {@code role}: leader, standby, or joining (not in the group yet). */
    record Status(String repo, String branch, String role, String instance, String leader,
            java.time.Instant leadingSince, Long termBeganMs, String lastProcessed, String lastFailure) {
    }

    @Override
    public Object status() {
        LeaderElection e = election;
        GitSyncTerm t = term;
        Throwable f = t == null ? null : t.sync().lastFailure();
        String role = t != null ? "leader" : e.joined() ? "standby" : "joining";
        return new Status(repo.toString(), repo.branch(), role, e.identity(), e.leader(), e.leadingSince(),
                lastTermBeganMs < 0 ? null : lastTermBeganMs, t == null ? null : t.sync().lastProcessed(),
                f != null ? f.toString() : t == null ? e.failure() : null);
    }

    @Override
    public void bindMetrics(MeterRegistry registry) {
        Gauge.builder("meshlog_git_sync_failing", () -> {
            GitSyncTerm t = term;
            return t != null && t.sync().lastFailure() != null ? 1 : 0;
        }).description("1 while the leader's last read of git or write to Kafka failed").register(registry);
        Gauge.builder("meshlog_git_sync_leader", () -> term != null ? 1 : 0)
                .description("1 while this git-sync leads (writes the log), 0 while it stands by")
                .register(registry);
        metrics = GitSyncMetrics.bind(registry, repo);
    }

    @Override
    public Runnable heartbeat() {
        return () -> {
            GitSyncTerm t = term;
            if (t != null) {
                t.sync().lastProcessed();
            }
        };
    }

    /** Ends the term, then leaves the group (so a standby takes over at once), then closes the repository. */
    @Override
    public void close() {
        for (AutoCloseable c : List.<AutoCloseable>of(election, repo)) {
            closeQuietly(c);
        }
    }
}
