package meshlog.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import meshlog.configstore.LogSafe;
import meshlog.configstore.kafka.Topics;
import meshlog.discovery.SyncHealth;
import meshlog.discovery.k8s.ClusterDiscovery;
import meshlog.discovery.k8s.TrustPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code meshlog discovery --cluster NAME --kubeconfig FILE}: one cluster's Kubernetes discovery, publishing to
 * {@code meshlog.endpoints}. Ready once its first LIST is published; unready and reported stale while the API
 * server is away (what it published stays on the topic).
 */
final class DiscoveryComponent implements Component {

    private static final Logger LOG = LoggerFactory.getLogger("meshlog.discovery");
    static final Set<String> FLAGS = Set.of("cluster", "kubeconfig", "resync", "root-cert", "webhook-config");
    /** The injection webhook whose caBundle is kept, as deploy/kubernetes/workload-cluster/injector.yaml names it. */
    static final String WEBHOOK_CONFIG = "meshlog-sidecar-injector";

    static ClusterDiscovery.Options options(Flags f) {
        String cluster = DistributorComponent.cluster(f);
        if (!f.has("kubeconfig")) {
            throw new Flags.UsageException("--kubeconfig FILE is required");
        }
        Path kubeconfig = Path.of(f.get("kubeconfig", ""));
        if (!Files.isRegularFile(kubeconfig)) {
            throw new Flags.UsageException("--kubeconfig " + LogSafe.value(kubeconfig) + ": no such file");
        }
        Duration resync = f.duration("resync", Duration.ofMinutes(5));
        if (resync.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new Flags.UsageException("--resync must be at least 1s, got " + resync);
        }
        return ClusterDiscovery.Options.of(cluster, kubeconfig).withResync(resync);
    }

    /**
     * {@code --root-cert FILE}: keep the cluster trusting that mesh root (the ConfigMap istio-ca-root-cert in every
     * namespace, and the caBundle of {@code --webhook-config NAME}, default {@value #WEBHOOK_CONFIG}; an empty name
     * leaves the webhook alone); without it, none.
     */
    static Optional<TrustPublisher.Options> trust(Flags f, ClusterDiscovery.Options d) {
        if (!f.has("root-cert")) {
            if (f.has("webhook-config")) {
                throw new Flags.UsageException("--webhook-config needs --root-cert (the caBundle is that root)");
            }
            return Optional.empty();
        }
        Path root = f.existingFile("root-cert");
        try {
            meshlog.discovery.trust.MeshRoot.read(root); // checked before anything starts; read again by the publisher
        } catch (IllegalArgumentException e) {
            throw new Flags.UsageException("--root-cert: " + e.getMessage());
        }
        return Optional.of(new TrustPublisher.Options(d.cluster(), d.kubeconfig(), root,
                f.get("webhook-config", WEBHOOK_CONFIG)));
    }

    private final ClusterDiscovery discovery;
    private final TrustPublisher trust;

    private DiscoveryComponent(ClusterDiscovery discovery, TrustPublisher trust) {
        this.discovery = discovery;
        this.trust = trust;
    }

    static DiscoveryComponent start(String bootstrap, ClusterDiscovery.Options o) {
        return start(bootstrap, o, Optional.empty());
    }

    static DiscoveryComponent start(String bootstrap, ClusterDiscovery.Options o, Optional<TrustPublisher.Options> t) {
        Topics.ensure(bootstrap);
        TrustPublisher trust = t.map(opts -> TrustPublisher.start(opts, Clock.systemUTC())).orElse(null);
        ClusterDiscovery d;
        try {
            d = ClusterDiscovery.start(bootstrap, o, Clock.systemUTC());
        } catch (RuntimeException e) {
            if (trust != null) {
                trust.close();
            }
            throw e;
        }
        LOG.info("started discovery cluster={} kubeconfig={}{}", o.cluster(), LogSafe.value(o.kubeconfig()),
                t.map(opts -> " root-cert=" + LogSafe.value(opts.rootCert())).orElse(""));
        return new DiscoveryComponent(d, trust);
    }

    @Override
    public String name() {
        return "discovery " + discovery.cluster();
    }

    @Override
    public Map<String, String> notReady() {
        return discovery.problem().map(p -> Map.of(name(), p)).orElse(Map.of());
    }

    record Status(String cluster, boolean synced, boolean stale, Instant lastPublishAt, Instant watchLostAt,
                  long publishes, long recordsWritten, long resyncs, long resyncCorrections,
                  TrustPublisher.Counts trust) {
    }

    @Override
    public Object status() {
        SyncHealth h = discovery.health();
        return new Status(discovery.cluster(), h.synced(), discovery.stale(), h.lastPublishAt(), h.watchLostAt(),
                discovery.publishes(), discovery.recordsWritten(), discovery.resyncs(), discovery.resyncCorrections(),
                trust == null ? null : trust.counts());
    }

    @Override
    public void bindMetrics(MeterRegistry registry) {
        String c = discovery.cluster();
        // Gauges over the component's counts, as the distributor's: a Micrometer counter would rename them *_total.
        Gauge.builder("meshlog_discovery_records_written", discovery, ClusterDiscovery::recordsWritten)
                .description("records written to meshlog.endpoints").tag("cluster", c).register(registry);
        Gauge.builder("meshlog_discovery_resyncs", discovery, ClusterDiscovery::resyncs)
                .description("full resyncs (LIST of everything) completed").tag("cluster", c).register(registry);
        Gauge.builder("meshlog_discovery_resync_corrections", discovery, ClusterDiscovery::resyncCorrections)
                .description("records a full resync changed: events a watch had missed").tag("cluster", c)
                .register(registry);
        Gauge.builder("meshlog_discovery_stale", () -> discovery.stale() ? 1 : 0)
                .description("1 while the API server's watch is lost").tag("cluster", c).register(registry);
        if (trust != null) {
            Gauge.builder("meshlog_trust_configmap_writes", trust, t -> t.counts().configMapsCreated())
                    .description("istio-ca-root-cert ConfigMaps written, by op").tag("cluster", c).tag("op", "create")
                    .register(registry);
            Gauge.builder("meshlog_trust_configmap_writes", trust, t -> t.counts().configMapsUpdated())
                    .description("istio-ca-root-cert ConfigMaps written, by op").tag("cluster", c).tag("op", "update")
                    .register(registry);
            Gauge.builder("meshlog_trust_webhook_patches", trust, t -> t.counts().webhookPatches())
                    .description("caBundle patches of the injection webhook").tag("cluster", c).register(registry);
        }
    }

    @Override
    public Runnable heartbeat() {
        return discovery::health;
    }

    @Override
    public void close() {
        discovery.close();
        if (trust != null) {
            trust.close();
        }
    }
}
