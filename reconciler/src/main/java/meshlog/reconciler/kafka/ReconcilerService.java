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
import meshlog.configstore.endpoints.DiscoveredService;
import meshlog.configstore.endpoints.EndpointRecords;
import meshlog.configstore.event.CommitInfo;
import meshlog.configstore.kafka.EventTail;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.configstore.kafka.PartitionOwnership;
import meshlog.configstore.kafka.TopicTail;
import meshlog.configstore.kafka.Topics;
import meshlog.configstore.scope.ScopeRequest;
import meshlog.configstore.snapshot.SnapshotPublisher;
import meshlog.configstore.state.ConfigState;
import meshlog.reconciler.ir.GatewayApiCondition;
import meshlog.reconciler.ir.TranslationNote;
import meshlog.reconciler.plan.PublishStep;
import meshlog.reconciler.plan.RequestedScopes;
import meshlog.reconciler.plan.Shards;
import meshlog.reconciler.translate.MeshTranslator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka edge of the reconciler: follows the config-events, scopes and endpoints topics, and carries out what {@link
 * PublishStep} decides. Commits that arrive while a computation runs are coalesced into the next one; nothing is
 * computed until the log has been read to its end, so a restart publishes the current state once instead of
 * replaying history onto the proxies. What to publish, what counts as unchanged, what an inconsistent snapshot
 * means, and the cap on requested scopes are decided by pure code in {@code meshlog.reconciler.plan}.
 *
 * <p>Several reconcilers share the clusters: they form one consumer group on {@link Topics#RECONCILER_SHARDS},
 * whose partitions stand for the clusters hashing to them ({@link Shards}); each computes and publishes only the
 * clusters of the shards it owns, through one transactional publisher per shard
 * ({@code meshlog-reconciler-<repo>-shard-<n>}), so a new owner's first write fences an old owner that has not
 * noticed it lost the shard. Versions are content hashes, so a new owner publishes what the old one would have: a
 * cluster's snapshot is written by one reconciler at a time, and never twice.
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

    /** How long a revoked shard waits for the computation in progress before it is given away anyway. */
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(60);

    private final List<String> defaultClusters;
    private final String bootstrap;
    private final String repo;
    /** By shard, the publisher of its clusters (the worker thread's alone). */
    private final Map<Integer, SnapshotPublisher> publishers = new TreeMap<>();
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
    private final TopicTail endpointsTail;
    /** By record key ({@code cluster/namespace/name}): the Kubernetes Services discovery published. */
    private final Map<String, DiscoveredService> discovered = new ConcurrentHashMap<>();
    private final PartitionOwnership ownership;
    private volatile ConfigState state = ConfigState.EMPTY;
    private volatile boolean dirty;
    private volatile boolean initialPublished;
    private volatile Instant retryAt = Instant.MIN;
    private volatile Map<String, String> failures = Map.of();
    private volatile Set<TranslationNote> lastNotes = Set.of();
    private volatile List<GatewayApiCondition> gatewayApiStatus = List.of();
    private Set<String> leftLogged = Set.of();

    private ReconcilerService(String bootstrap, String repo, List<String> defaultClusters, Clock clock) {
        this.defaultClusters = List.copyOf(defaultClusters);
        this.clock = clock;
        this.bootstrap = bootstrap;
        this.repo = repo;
        this.tail = EventTail.start(bootstrap, repo, this::onEvent);
        this.scopeTail = TopicTail.start(bootstrap, Topics.SCOPES, "meshlog-reconciler-scopes-" + repo,
                r -> onScope(r.key(), r.value()));
        this.endpointsTail = TopicTail.start(bootstrap, Topics.ENDPOINTS, "meshlog-reconciler-endpoints-" + repo,
                r -> onEndpoints(r.key(), r.value()));
        this.ownership = PartitionOwnership.start(bootstrap, Topics.RECONCILER_SHARDS, "meshlog-reconciler-" + repo,
                "meshlog-reconciler-" + repo, new PartitionOwnership.Listener() {
                    @Override
                    public void assigned(Set<Integer> shards) {
                        dirty = true;
                    }

                    @Override
                    public void revoked(Set<Integer> shards) {
                        release(shards);
                    }
                });
        // Scheduled last: the first run may come before this constructor returns.
        worker.scheduleWithFixedDelay(this::publishSafely, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
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

    /** True once the log has been read to its end, this reconciler has its shards, and their clusters published. */
    public boolean ready() {
        return tail.caughtUp() && endpointsTail.caughtUp() && ownership.joined() && initialPublished && tail.failure() == null
                && ownership.failure() == null;
    }

    /**
     * By topic, the records this reconciler has not read yet (-1 while not known): config events, discovered
     * endpoints, scope requests.
     */
    public Map<String, Long> consumerLag() {
        return Map.of(Topics.CONFIG_EVENTS, tail.lag(), Topics.ENDPOINTS, endpointsTail.lag(), Topics.SCOPES,
                scopeTail.lag());
    }

    /** The shards this reconciler owns now (of {@link Topics#RECONCILER_SHARD_COUNT}). */
    public Set<Integer> ownedShards() {
        return ownership.owned();
    }

    /** Null while every cluster's last publication worked; otherwise what failed, by cluster. */
    public String lastFailure() {
        if (tail.failure() != null) {
            return "reading the log: " + tail.failure();
        }
        if (endpointsTail.failure() != null) {
            return "reading " + Topics.ENDPOINTS + ": " + endpointsTail.failure();
        }
        if (ownership.failure() != null) {
            return "owning shards: " + ownership.failure();
        }
        return failures.isEmpty() ? null : failures.toString();
    }

    /**
     * The status conditions of the Gateway API objects as of the last decision (there is no API server to write
     * them to: they are shown in {@code /api/status}).
     */
    public List<GatewayApiCondition> gatewayApiStatus() {
        return gatewayApiStatus;
    }

    /**
     * Services known: the distinct hosts of the applied ServiceEntries and of the Kubernetes Services discovered in
     * any cluster (one host in two clusters is one service, as the translation merges them). istiod's
     * {@code pilot_services}.
     */
    public int serviceCount() {
        Set<String> hosts = new java.util.HashSet<>();
        discovered.values().forEach(s -> hosts.add(s.hostname()));
        state.all(meshlog.gatewayapi.model.ServiceEntry.class).forEach(e -> hosts.addAll(e.hosts()));
        return hosts.size();
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

    /**
     * A service's record (or its tombstone) from discovery. Namespaces' workloads are not read yet. Any change
     * recomputes every cluster: services are visible mesh-wide, and unchanged resources keep their hashes, so
     * proxies are sent only the endpoint assignments that changed.
     */
    private void onEndpoints(String key, byte[] value) {
        if (key == null || EndpointRecords.isWorkloads(key)) {
            return;
        }
        if (value == null) {
            dirty |= discovered.remove(key) != null;
            return;
        }
        try {
            DiscoveredService s = EndpointRecords.service(value);
            if (!s.equals(discovered.put(key, s))) {
                dirty = true;
            }
        } catch (IllegalArgumentException e) {
            LOG.warn("skipped unreadable endpoints record key={}: {}", LogSafe.value(key),
                    LogSafe.value(e.getMessage()));
        }
    }

    /** A scheduled task that throws is never run again: whatever fails here is reported and retried instead. */
    private void publishSafely() {
        try {
            publishIfDirty();
        } catch (RuntimeException e) {
            LOG.error("reconciling failed, retried in {} s: {}", RETRY.toSeconds(), e.toString());
            dirty = true;
            retryAt = clock.instant().plus(RETRY);
        }
    }

    private void publishIfDirty() {
        // Until the first check after catching up, run even if no commit changed anything, so an empty log still
        // reports ready; after it, only when a commit did.
        // The endpoints too are read to their end first: publishing before would withdraw every endpoint served.
        if ((!dirty && initialPublished) || !tail.caughtUp() || !endpointsTail.caughtUp() || !ownership.joined()
                || clock.instant().isBefore(retryAt)) {
            return;
        }
        dirty = false;
        // Read once: a shard revoked from now on is released after this run (same thread), never during it.
        Shards shards = new Shards(Topics.RECONCILER_SHARD_COUNT, ownership.owned());
        PublishStep.Decisions d = PublishStep.decide(new PublishStep.Inputs(state, defaultClusters,
                requestedScopes.snapshot(), lastPublished, clock.instant(), shards, List.copyOf(discovered.values())));
        if (d.commit() != null) {
            gatewayApiStatus = MeshTranslator.gatewayApiStatus(state.resources().values(),
                    List.copyOf(discovered.values()));
        }
        Map<String, String> failures = new TreeMap<>(d.failures());
        if (!failures.isEmpty()) {
            // A translation bug, not a config error (validation passed): proxies keep the last good snapshot,
            // and the next commit tries again (before the first publication, after a pause).
            retryAt = clock.instant().plus(RETRY);
        }
        d.publish().forEach((cluster, scopes) -> {
            try {
                publisher(Shards.of(cluster, shards.count())).publish(cluster, scopes);
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

    private SnapshotPublisher publisher(int shard) {
        // Opening it fences the shard's previous owner, should that one still be writing.
        return publishers.computeIfAbsent(shard, n -> new SnapshotPublisher(bootstrap,
                "meshlog-reconciler-" + repo + "-shard-" + n, clock));
    }

    /**
     * Stops publishing for {@code shards} before the group gives them away: waits for the worker (a computation in
     * progress finishes first), closes their publishers and forgets what this process published for their clusters.
     */
    private void release(Set<Integer> shards) {
        try {
            worker.submit(() -> {
                for (int n : shards) {
                    SnapshotPublisher p = publishers.remove(n);
                    if (p != null) {
                        p.close();
                    }
                }
                Shards released = new Shards(Topics.RECONCILER_SHARD_COUNT, shards);
                lastPublished.keySet().removeIf(released::owns);
                published.keySet().removeIf(released::owns);
            }).get(RELEASE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closing: the worker is gone, and so are the publishers
        } catch (java.util.concurrent.TimeoutException slow) {
            LOG.warn("shards {} given away while a computation still runs: its publication will be fenced", shards);
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.warn("releasing shards {}: {}", shards, e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        ownership.close(); // leaves the group first, so the others take these shards at once
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tail.close();
        scopeTail.close();
        endpointsTail.close();
        publishers.values().forEach(SnapshotPublisher::close);
    }
}
