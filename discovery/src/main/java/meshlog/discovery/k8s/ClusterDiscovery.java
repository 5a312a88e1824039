package meshlog.discovery.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import meshlog.configstore.LogSafe;
import meshlog.configstore.Loops;
import meshlog.discovery.Discovered;
import meshlog.discovery.DiscoveryLimits;
import meshlog.discovery.EndpointsDiff;
import meshlog.discovery.ServiceDiscovery;
import meshlog.discovery.SyncHealth;
import meshlog.discovery.kafka.EndpointsPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cluster's discovery: informers on its API server → {@link ServiceDiscovery} → {@link EndpointsPublisher}.
 * One thread does all the work, every {@link #TICK}: it publishes after changes (so a burst of events is one
 * publish), and every {@code resyncPeriod} it starts a fresh generation of informers (a new LIST of everything) and
 * swaps it in once synced, so an event a watch missed is corrected within one period instead of staying until a
 * restart (Istio's stale-endpoint failure). Start-up never waits for the API server.
 */
public final class ClusterDiscovery implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterDiscovery.class);
    static final Duration TICK = Duration.ofMillis(100);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final int MAX_LOGGED_NOTES = 1_000;

    /**
     * @param resyncPeriod how often everything is LISTed again (Istio has no such period; 5 min by default)
     * @param staleGrace   how long a watch may be down before the cluster is reported stale (a watch reconnecting
     *                     after the API server's timeout must not flap readiness)
     */
    public record Options(String cluster, Path kubeconfig, Duration resyncPeriod, Duration staleGrace,
                          DiscoveryLimits limits) {
        public static Options of(String cluster, Path kubeconfig) {
            return new Options(cluster, kubeconfig, Duration.ofMinutes(5), Duration.ofSeconds(5),
                    DiscoveryLimits.DEFAULTS);
        }

        public Options withResync(Duration period) {
            return new Options(cluster, kubeconfig, period, staleGrace, limits);
        }

        public Options withStaleGrace(Duration grace) {
            return new Options(cluster, kubeconfig, resyncPeriod, grace, limits);
        }
    }

    private final Options options;
    private final Clock clock;
    private final KubernetesClient client;
    private final EndpointsPublisher publisher;
    private final ScheduledExecutorService loop;
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private final AtomicLong publishes = new AtomicLong();
    private final AtomicLong recordsWritten = new AtomicLong();
    private final AtomicLong resyncs = new AtomicLong();
    private final AtomicLong resyncCorrections = new AtomicLong();
    private final Set<String> loggedNotes = new LinkedHashSet<>();

    // Loop-thread state; read by other threads only through health(), hence volatile.
    private volatile KubeWatch current;
    private volatile SyncHealth health;
    private KubeWatch next;
    private Instant nextResyncAt;
    private Instant retryAt = Instant.MIN;
    private boolean swapped;

    private ClusterDiscovery(Options options, Clock clock, KubernetesClient client, EndpointsPublisher publisher) {
        this.options = options;
        this.clock = clock;
        this.client = client;
        this.publisher = publisher;
        this.health = new SyncHealth(options.cluster(), false, null, null, null);
        this.loop = Loops.daemon("meshlog-discovery-" + options.cluster());
    }

    /**
     * Connects to Kafka (failing within seconds if it cannot), starts the informers and returns without waiting for
     * the API server.
     *
     * @throws IllegalArgumentException if the kubeconfig cannot be read
     */
    public static ClusterDiscovery start(String bootstrap, Options o, Clock clock) {
        KubernetesClient client = KubeClients.fromKubeconfig(o.kubeconfig());
        EndpointsPublisher publisher;
        try {
            publisher = new EndpointsPublisher(bootstrap, o.cluster());
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        ClusterDiscovery d = new ClusterDiscovery(o, clock, client, publisher);
        d.current = new KubeWatch(client, () -> d.dirty.set(true));
        d.nextResyncAt = clock.instant().plus(o.resyncPeriod());
        d.loop.scheduleWithFixedDelay(d::tickSafely, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("discovery of cluster {} started: API server {}, resync every {}", LogSafe.value(o.cluster()),
                LogSafe.value(client.getConfiguration().getMasterUrl()), o.resyncPeriod());
        return d;
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException | Error e) {
            LOG.warn("discovery of cluster {}: {}", LogSafe.value(options.cluster()), LogSafe.value(e));
        }
    }

    private void tick() {
        Instant now = clock.instant();
        resync(now);
        KubeWatch w = current;
        SyncHealth h = health;
        Instant lost = w.watching() ? null : h.watchLostAt() != null ? h.watchLostAt() : now;
        health = new SyncHealth(h.cluster(), w.synced(), lost, h.lastPublishAt(), h.publishError());
        if (!w.synced() || now.isBefore(retryAt) || !dirty.getAndSet(false)) {
            return;
        }
        Discovered d = ServiceDiscovery.discover(w.view(options.cluster()), options.limits());
        logNew(d.notes());
        try {
            List<EndpointsDiff.Write> writes = publisher.publish(d.encode());
            publishes.incrementAndGet();
            recordsWritten.addAndGet(writes.size());
            if (swapped && !writes.isEmpty()) {
                resyncCorrections.addAndGet(writes.size());
                LOG.warn("cluster {}: the full resync corrected {} records a watch had missed",
                        LogSafe.value(options.cluster()), writes.size());
            }
            swapped = false;
            health = new SyncHealth(h.cluster(), true, lost, now, null);
        } catch (RuntimeException e) {
            dirty.set(true);
            retryAt = now.plus(RETRY);
            health = new SyncHealth(h.cluster(), true, lost, h.lastPublishAt(), LogSafe.value(e.getMessage()));
            LOG.warn("cluster {}: publishing endpoints failed, retrying in {}: {}", LogSafe.value(options.cluster()),
                    RETRY, LogSafe.value(e));
        }
    }

    /** Starts the next generation when the period is up, and swaps it in once it has LISTed everything. */
    private void resync(Instant now) {
        if (next == null && !now.isBefore(nextResyncAt)) {
            next = new KubeWatch(client, () -> dirty.set(true));
        }
        if (next != null && next.synced()) {
            KubeWatch old = current;
            current = next;
            next = null;
            old.close();
            nextResyncAt = now.plus(options.resyncPeriod());
            resyncs.incrementAndGet();
            swapped = true;
            dirty.set(true);
        }
    }

    private void logNew(List<String> notes) {
        for (String n : notes) {
            if (loggedNotes.size() < MAX_LOGGED_NOTES && loggedNotes.add(n)) {
                LOG.warn("cluster {}: {}", LogSafe.value(options.cluster()), LogSafe.value(n, 400));
            }
        }
    }

    public String cluster() {
        return options.cluster();
    }

    /** Why this cluster's endpoints are not current, or empty. */
    public Optional<String> problem() {
        return health.problem(clock.instant(), options.staleGrace());
    }

    /** True while the API server's watch is lost: the published endpoints are kept but may be out of date. */
    public boolean stale() {
        return health.stale(clock.instant(), options.staleGrace());
    }

    public SyncHealth health() {
        return health;
    }

    /** Publishes that wrote or checked records, records written, full resyncs, records a resync corrected. */
    public long publishes() {
        return publishes.get();
    }

    public long recordsWritten() {
        return recordsWritten.get();
    }

    public long resyncs() {
        return resyncs.get();
    }

    public long resyncCorrections() {
        return resyncCorrections.get();
    }

    @Override
    public void close() {
        Loops.stop(loop);
        KubeWatch n = next;
        if (n != null) {
            n.close();
        }
        current.close();
        client.close();
        publisher.close();
    }
}
