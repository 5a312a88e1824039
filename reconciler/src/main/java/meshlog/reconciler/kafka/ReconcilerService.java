package meshlog.reconciler.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import meshlog.configstore.LogSafe;
import meshlog.configstore.event.CommitInfo;
import meshlog.configstore.kafka.EventTail;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.configstore.kafka.TopicTail;
import meshlog.configstore.kafka.Topics;
import meshlog.configstore.scope.ScopeRequest;
import meshlog.configstore.snapshot.SnapshotPublisher;
import meshlog.configstore.state.ConfigState;
import meshlog.reconciler.ir.TranslationNote;
import meshlog.reconciler.plan.PublishStep;
import meshlog.reconciler.plan.RequestedScopes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka edge of the reconciler: follows the config-events and scopes topics, and carries out what {@link
 * PublishStep} decides. Commits that arrive while a computation runs are coalesced into the next one; nothing is
 * computed until the log has been read to its end, so a restart publishes the current state once instead of
 * replaying history onto the proxies. What to publish, what counts as unchanged, what an inconsistent snapshot
 * means, and the cap on requested scopes are decided by pure code in {@code meshlog.reconciler.plan}.
 */
public final class ReconcilerService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcilerService.class);
    /** How often a pending state is checked for; bounds the added latency of a commit. */
    private static final long CHECK_MILLIS = 20;
    /** Pause before publishing again after Kafka refused a snapshot, or a snapshot was inconsistent. */
    private static final Duration RETRY = Duration.ofSeconds(1);

    /** What a cluster was last sent: shown by the admin API. */
    public record Published(String version, String commit, Instant time) {
    }

    private final List<String> defaultClusters;
    private final SnapshotPublisher publisher;
    private final Clock clock;
    private final ConfigState.Folder folder = new ConfigState.Folder(ConfigState.EMPTY);
    private final Map<String, Published> published = new ConcurrentHashMap<>();
    /** By cluster and scope: what this process published (the worker thread's alone). */
    private final Map<String, Map<String, PublishStep.PublishedScope>> lastPublished = new TreeMap<>();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "reconciler");
        t.setDaemon(true);
        return t;
    });
    private final EventTail tail;
    private final RequestedScopes requestedScopes = new RequestedScopes();
    private final Set<String> fullClustersLogged = ConcurrentHashMap.newKeySet();
    private final TopicTail scopeTail;
    private volatile ConfigState state = ConfigState.EMPTY;
    private volatile boolean dirty;
    private volatile boolean initialPublished;
    private volatile Instant retryAt = Instant.MIN;
    private volatile Map<String, String> failures = Map.of();
    private volatile Set<TranslationNote> lastNotes = Set.of();
    private Set<String> leftLogged = Set.of();

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
     * @param clock           stamps publications and paces retries
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

    /** What the last commit's translation could not serve (a route to an unknown host, say). */
    public Set<TranslationNote> notes() {
        return lastNotes;
    }

    // The fold dispatches over the sealed event types (ConfigState.Folder.apply, ending in a throw); the state is
    // taken only at a transaction's end, so nothing half-applied is ever computed.
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
            switch (requestedScopes.add(request)) {
                case ADDED -> {
                    LOG.info("scope requested cluster={} scope={}", LogSafe.value(request.cluster()),
                            LogSafe.value(request.scope().id()));
                    dirty = true;
                }
                case KNOWN -> { }
                case FULL -> {
                    if (fullClustersLogged.add(request.cluster())) {
                        LOG.warn("scope requests cluster={} past {}: further scopes are not computed",
                                LogSafe.value(request.cluster()), RequestedScopes.MAX_PER_CLUSTER);
                    }
                }
                default -> throw new AssertionError(request);
            }
        } catch (IllegalArgumentException e) {
            LOG.warn("skipped unreadable scope request key={}: {}", LogSafe.value(key), LogSafe.value(e.getMessage()));
        }
    }

    private void publishIfDirty() {
        // Until the first check after catching up, run even if no commit changed anything, so an empty log still
        // reports ready; after it, only when a commit did.
        if ((!dirty && initialPublished) || !tail.caughtUp() || clock.instant().isBefore(retryAt)) {
            return;
        }
        dirty = false;
        PublishStep.Decisions d = PublishStep.decide(new PublishStep.Inputs(state, defaultClusters,
                requestedScopes.snapshot(), lastPublished, clock.instant()));
        Map<String, String> failures = new TreeMap<>(d.failures());
        if (!failures.isEmpty()) {
            // A translation bug, not a config error (validation passed): proxies keep the last good snapshot,
            // and the next commit tries again (before the first publication, after a pause).
            retryAt = clock.instant().plus(RETRY);
        }
        d.publish().forEach((cluster, scopes) -> {
            try {
                publisher.publish(cluster, scopes);
                lastPublished.put(cluster, d.publishedScopes(cluster));
                // The gRPC scope's version stands for the cluster in status (what proxyless clients ACK).
                published.put(cluster, new Published(scopes.get(0).version(), d.commit(), d.at()));
            } catch (RuntimeException ex) {
                // Kafka unreachable: proxies keep the last good snapshot; retried after a pause.
                failures.put(cluster, ex.toString());
                dirty = true;
                retryAt = clock.instant().plus(RETRY);
            }
        });
        report(d, failures);
        this.failures = Map.copyOf(failures);
        initialPublished = initialPublished || failures.isEmpty();
    }

    private void report(PublishStep.Decisions d, Map<String, String> failures) {
        if (!d.notes().equals(lastNotes)) {
            d.notes().forEach(n -> LOG.warn("not served, commit {}: {}", CommitInfo.shortSha(d.commit()), n));
            lastNotes = d.notes();
        }
        d.withdrawn().forEach((cluster, scopes) -> LOG.info("withdrawing scopes cluster={} scopes={}",
                LogSafe.value(cluster), scopes.size()));
        if (!d.left().keySet().equals(leftLogged)) {
            d.left().forEach((cluster, scopes) -> LOG.warn("cluster={} is no longer in the config: its {} scope(s)"
                    + " stay as last published until its distributors stop", LogSafe.value(cluster), scopes.size()));
            leftLogged = d.left().keySet();
        }
        failures.forEach((cluster, why) -> {
            if (!why.equals(this.failures.get(cluster))) {
                LOG.error("snapshot not published cluster={} commit={}: {}", cluster,
                        CommitInfo.shortSha(d.commit()), why);
            }
        });
    }

    @Override
    public void close() {
        worker.shutdownNow();
        tail.close();
        scopeTail.close();
        publisher.close();
    }
}
