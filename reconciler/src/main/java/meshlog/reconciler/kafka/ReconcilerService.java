package meshlog.reconciler.kafka;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import meshlog.configstore.kafka.EventTail;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.configstore.snapshot.ClusterSnapshot;
import meshlog.configstore.snapshot.SnapshotPublisher;
import meshlog.configstore.state.ConfigState;
import meshlog.reconciler.InconsistentSnapshotException;
import meshlog.reconciler.SnapshotComputer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the config-events topic, folds it into the served config and, after each applied commit, publishes every
 * cluster's xDS resources to the snapshots topic. Commits that arrive while a computation runs are coalesced into
 * the next one; nothing is computed until the log has been read to its end, so a restart publishes the current
 * state once instead of replaying history onto the proxies.
 */
public final class ReconcilerService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcilerService.class);
    /** How often a pending state is checked for; bounds the added latency of a commit. */
    private static final long CHECK_MILLIS = 20;

    /** What a cluster was last sent: shown by the admin API. */
    public record Published(String version, String commit, Instant time) {
    }

    private final List<String> defaultClusters;
    private final SnapshotPublisher publisher;
    private final Clock clock;
    private final ConfigState.Folder folder = new ConfigState.Folder(ConfigState.EMPTY);
    private final Map<String, Published> published = new ConcurrentHashMap<>();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "reconciler");
        t.setDaemon(true);
        return t;
    });
    private final EventTail tail;
    private volatile ConfigState state = ConfigState.EMPTY;
    private volatile boolean dirty;
    private volatile Throwable lastFailure;

    private ReconcilerService(String bootstrap, String repo, List<String> defaultClusters, Clock clock) {
        this.defaultClusters = List.copyOf(defaultClusters);
        this.clock = clock;
        this.publisher = new SnapshotPublisher(bootstrap, "meshlog-reconciler-" + repo);
        this.tail = EventTail.start(bootstrap, repo, this::onEvent);
        worker.scheduleWithFixedDelay(this::publishIfDirty, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * @param defaultClusters clusters to serve when the repository declares no {@code Cluster} objects
     */
    public static ReconcilerService start(String bootstrap, String repo, List<String> defaultClusters, Clock clock) {
        return new ReconcilerService(bootstrap, repo, defaultClusters, clock);
    }

    /** The served config as of the last commit read. */
    public ConfigState state() {
        return state;
    }

    /** Per cluster, the last snapshot published (by this process or, after a restart, found already published). */
    public Map<String, Published> published() {
        return Map.copyOf(published);
    }

    /** True once the log has been read to its end and the current state published. */
    public boolean ready() {
        return tail.caughtUp() && !dirty && tail.failure() == null;
    }

    public Throwable lastFailure() {
        return tail.failure() != null ? tail.failure() : lastFailure;
    }

    private void onEvent(LoggedEvent e) {
        folder.apply(e.event());
        if (folder.atCommitBoundary()) {
            state = folder.state();
            dirty = true;
        }
    }

    private void publishIfDirty() {
        if (!dirty || !tail.caughtUp()) {
            return;
        }
        dirty = false;
        ConfigState s = state;
        String commit = s.lastApplied() == null ? "" : s.lastApplied().sha();
        for (String cluster : SnapshotComputer.clusters(s, defaultClusters)) {
            try {
                ClusterSnapshot snapshot = SnapshotComputer.compute(s, cluster, commit);
                publisher.publish(snapshot);
                published.put(cluster, new Published(snapshot.version(), commit, clock.instant()));
                lastFailure = null;
            } catch (InconsistentSnapshotException ex) {
                // A translation bug, not a config error (validation passed): proxies keep the last good snapshot
                // and the next commit tries again.
                lastFailure = ex;
                LOG.error("snapshot not published cluster={} commit={}: {}", cluster, shortSha(commit),
                        ex.getMessage());
            } catch (RuntimeException ex) {
                // Kafka unreachable: proxies keep the last good snapshot; retried at the next check.
                if (lastFailure == null) {
                    LOG.error("snapshot not published cluster={} commit={}: {}", cluster, shortSha(commit),
                            ex.getMessage());
                }
                lastFailure = ex;
                dirty = true;
            }
        }
    }

    private static String shortSha(String sha) {
        return sha.length() > 8 ? sha.substring(0, 8) : sha;
    }

    @Override
    public void close() {
        worker.shutdownNow();
        tail.close();
        publisher.close();
    }
}
