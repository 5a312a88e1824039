package meshlog.reconciler.kafka;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import meshlog.configstore.LogSafe;
import meshlog.configstore.kafka.EventTail;
import meshlog.configstore.kafka.TopicTail;
import meshlog.configstore.kafka.Topics;
import meshlog.configstore.scope.ProxyScope;
import meshlog.configstore.scope.ScopeRequest;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.configstore.snapshot.SnapshotPublisher;
import meshlog.configstore.state.ConfigState;
import meshlog.configstore.event.CommitInfo;
import meshlog.reconciler.InconsistentSnapshotException;
import meshlog.reconciler.SnapshotComputer;
import meshlog.reconciler.SnapshotResult;
import meshlog.reconciler.ir.TranslationNote;
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
    /** Pause before publishing again after Kafka refused a snapshot. */
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

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
    /** Scopes distributors have seen, by cluster (beyond those the config implies); bounded per cluster. */
    private final Map<String, Set<ProxyScope>> requestedScopes = new ConcurrentHashMap<>();
    private static final int MAX_REQUESTED_SCOPES = 2_000;
    private final TopicTail scopeTail;
    private volatile ConfigState state = ConfigState.EMPTY;
    private volatile boolean dirty;
    private volatile boolean initialPublished;
    private volatile long retryAt;
    private volatile Map<String, String> failures = Map.of();
    private volatile Set<TranslationNote> lastNotes = Set.of();

    private ReconcilerService(String bootstrap, String repo, List<String> defaultClusters, Clock clock) {
        this.defaultClusters = List.copyOf(defaultClusters);
        this.clock = clock;
        this.publisher = new SnapshotPublisher(bootstrap, "meshlog-reconciler-" + repo);
        this.tail = EventTail.start(bootstrap, repo, this::onEvent);
        this.scopeTail = TopicTail.start(bootstrap, Topics.SCOPES, "meshlog-reconciler-scopes-" + repo,
                r -> onScope(r.key(), r.value()));
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
        return tail.caughtUp() && initialPublished && tail.failure() == null;
    }

    /** Null while every cluster's last publication worked; otherwise what failed, by cluster. */
    public String lastFailure() {
        if (tail.failure() != null) {
            return "reading the log: " + tail.failure();
        }
        return failures.isEmpty() ? null : failures.toString();
    }

    private void onEvent(LoggedEvent e) {
        folder.apply(e.event());
        if (folder.atCommitBoundary()) {
            state = folder.state();
            dirty = true;
        }
    }

    private void onScope(String key, byte[] value) {
        if (value == null) {
            return;
        }
        try {
            ScopeRequest request = ScopeRequest.decode(value);
            Set<ProxyScope> scopes = requestedScopes.computeIfAbsent(request.cluster(),
                    c -> ConcurrentHashMap.newKeySet());
            if (scopes.size() < MAX_REQUESTED_SCOPES && scopes.add(request.scope())) {
                LOG.info("scope requested cluster={} scope={}", LogSafe.value(request.cluster()),
                        LogSafe.value(request.scope().id()));
                dirty = true;
            }
        } catch (IllegalArgumentException e) {
            LOG.warn("skipped unreadable scope request key={}: {}", LogSafe.value(key), LogSafe.value(e.getMessage()));
        }
    }

    private void publishIfDirty() {
        // Until the first check after catching up, run even if no commit changed anything, so an empty log still
        // reports ready; after it, only when a commit did.
        if ((!dirty && initialPublished) || !tail.caughtUp() || System.nanoTime() - retryAt < 0) {
            return;
        }
        dirty = false;
        ConfigState s = state;
        if (s.lastApplied() == null) {
            initialPublished = true; // no commit applied yet (an empty branch): nothing to serve, but ready
            return;
        }
        String commit = s.servedCommit(); // the pinned commit while one is pinned
        Map<String, String> failures = new TreeMap<>();
        Set<TranslationNote> notes = new LinkedHashSet<>();
        for (String cluster : SnapshotComputer.clusters(s, defaultClusters)) {
            try {
                List<SnapshotResult> results = SnapshotComputer.computeAll(s, cluster, commit,
                        requestedScopes.getOrDefault(cluster, Set.of()));
                results.forEach(r -> notes.addAll(r.notes()));
                publisher.publish(cluster, results.stream().map(SnapshotResult::snapshot).toList());
                // The gRPC scope's version stands for the cluster in status (what proxyless clients ACK).
                published.put(cluster, new Published(results.get(0).snapshot().version(), commit, clock.instant()));
            } catch (InconsistentSnapshotException ex) {
                // A translation bug, not a config error (validation passed): proxies keep the last good
                // snapshot, and the next commit tries again (before the first publication, after a pause).
                failures.put(cluster, ex.getMessage());
                retryAt = System.nanoTime() + RETRY_NANOS;
            } catch (RuntimeException ex) {
                // Kafka unreachable: proxies keep the last good snapshot; retried after a pause.
                failures.put(cluster, ex.toString());
                dirty = true;
                retryAt = System.nanoTime() + RETRY_NANOS;
            }
        }
        if (!notes.equals(lastNotes)) {
            notes.forEach(n -> LOG.warn("not served, commit {}: {}", CommitInfo.shortSha(commit), n));
            lastNotes = notes;
        }
        failures.forEach((cluster, why) -> {
            if (!why.equals(this.failures.get(cluster))) {
                LOG.error("snapshot not published cluster={} commit={}: {}", cluster, CommitInfo.shortSha(commit),
                        why);
            }
        });
        this.failures = Map.copyOf(failures);
        initialPublished = initialPublished || failures.isEmpty();
    }

    /** What the last commit's translation could not serve (a route to an unknown host, say). */
    public Set<TranslationNote> notes() {
        return lastNotes;
    }

    @Override
    public void close() {
        worker.shutdownNow();
        tail.close();
        scopeTail.close();
        publisher.close();
    }
}
