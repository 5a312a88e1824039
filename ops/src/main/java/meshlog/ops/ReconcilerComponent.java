package meshlog.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import meshlog.configstore.event.CommitInfo;
import meshlog.configstore.kafka.Topics;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.reconciler.kafka.ReconcilerService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code meshlog reconciler}: folds the log and publishes every cluster's snapshots. Which clusters is read from the
 * log ({@code Cluster} objects), so a cluster added or removed in git needs no restart; {@code --clusters} names those
 * served while the repository declares none, as {@code up}'s flag does.
 */
final class ReconcilerComponent implements Component {

    private static final Logger LOG = LoggerFactory.getLogger("meshlog.reconciler");
    static final Set<String> FLAGS = Set.of("clusters");

    static List<String> clusters(Flags f) {
        List<String> clusters = Arrays.stream(f.get("clusters", "east,west").split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        if (clusters.isEmpty()) {
            throw new Flags.UsageException("--clusters needs at least one name");
        }
        return clusters;
    }

    private final ReconcilerService service;

    private ReconcilerComponent(ReconcilerService service) {
        this.service = service;
    }

    static ReconcilerComponent start(String bootstrap, List<String> defaultClusters) {
        Topics.ensure(bootstrap);
        ReconcilerService s = ReconcilerService.start(bootstrap, MeshlogNode.REPO_ID, defaultClusters,
                Clock.systemUTC());
        LOG.info("started reconciler default-clusters={}", String.join(",", defaultClusters));
        return new ReconcilerComponent(s);
    }

    @Override
    public String name() {
        return "reconciler";
    }

    @Override
    public Map<String, String> notReady() {
        if (service.lastFailure() != null) {
            return Map.of("reconciler", service.lastFailure());
        }
        return service.ready() ? Map.of() : Map.of("reconciler", "reading the log, or waiting for its shards");
    }

    /**
     * @param shards    the shards (of {@link Topics#RECONCILER_SHARD_COUNT}) this reconciler owns: it computes the
     *                  clusters hashing to them, other reconcilers of the same log the rest
     * @param published the clusters this reconciler published, with their last version
     */
    record Status(CommitInfo lastApplied, int resources, java.util.Set<Integer> shards,
                  Map<String, ReconcilerService.Published> published, List<String> notServed,
                  List<meshlog.reconciler.ir.GatewayApiCondition> gatewayApi) {
    }

    @Override
    public Object status() {
        return new Status(service.state().lastApplied(), service.state().resources().size(),
                new java.util.TreeSet<>(service.ownedShards()), service.published(),
                service.notes().stream().map(Object::toString).toList(), service.gatewayApiStatus());
    }

    @Override
    public void bindMetrics(MeterRegistry registry) {
        bind(registry, service);
    }

    /** The reconciler's gauges, for this process and for {@code meshlog up}'s. */
    static void bind(MeterRegistry registry, ReconcilerService service) {
        Gauge.builder("meshlog_reconciler_clusters_published", () -> service.published().size())
                .description("clusters with a published snapshot").register(registry);
        Gauge.builder("pilot_virt_services", () -> service.state().all(VirtualService.class).size())
                .description("VirtualServices in the applied config (as istiod's)").register(registry);
        service.consumerLag().keySet().forEach(topic -> Gauge.builder("meshlog_reconciler_consumer_lag",
                        () -> service.consumerLag().get(topic))
                .description("records of the topic the reconciler has not read yet (-1 while not known)")
                .tag("topic", topic).register(registry));
        Gauge.builder("pilot_services", service::serviceCount)
                .description("services known: distinct hosts of the ServiceEntries and discovered Kubernetes"
                        + " Services (as istiod's)").register(registry);
    }

    @Override
    public Runnable heartbeat() {
        return service::published;
    }

    ReconcilerService service() {
        return service;
    }

    @Override
    public void close() {
        service.close();
    }
}
