package meshlog.ops;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import meshlog.configstore.LogSafe;
import meshlog.configstore.Loops;
import meshlog.configstore.state.ConfigState;
import meshlog.discovery.k8s.ClusterDiscovery;
import meshlog.discovery.k8s.TrustPublisher;
import meshlog.gatewayapi.model.MeshCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes discoveries of {@code meshlog up}: those of {@code --kubeconfig}, started once, and those the
 * {@code Cluster} objects' {@code spec.kubeconfig} name in the served config, started and stopped as commits add,
 * change and remove them (no restart). A discovery that cannot start (an unreadable kubeconfig) makes the node not
 * ready with the reason and is tried again each round; the others are unaffected. One thread does the work.
 */
final class ClusterDiscoveries implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("meshlog.up");
    private static final long ROUND_MILLIS = 1_000;

    private final String bootstrap;
    private final Map<String, Path> fromFlags;
    private final Path rootCert;
    private final Supplier<ConfigState> state;
    private final Map<String, Running> running = new TreeMap<>();
    private final Map<String, String> failing = new TreeMap<>();
    private final ScheduledExecutorService loop;
    private final io.micrometer.core.instrument.MeterRegistry metrics;

    private record Running(Path kubeconfig, DiscoveryComponent component) {
    }

    /**
     * @param fromFlags {@code --kubeconfig}'s clusters, which win over a Cluster object's {@code spec.kubeconfig}
     * @param rootCert  the node's mesh root, kept in each cluster (istio-ca-root-cert, the webhook's caBundle)
     * @param state     the config the reconciler serves now
     */
    ClusterDiscoveries(String bootstrap, Map<String, Path> fromFlags, Path rootCert, Supplier<ConfigState> state,
                       io.micrometer.core.instrument.MeterRegistry metrics) {
        this.bootstrap = bootstrap;
        this.fromFlags = Map.copyOf(fromFlags);
        this.rootCert = rootCert;
        this.state = state;
        this.metrics = metrics;
        this.loop = Loops.daemon("meshlog-cluster-discoveries");
        // --kubeconfig's start in line: a failure there stops up, as before (the files were checked by UpOptions).
        new TreeMap<>(fromFlags).forEach((cluster, file) ->
                running.put(cluster, new Running(file, open(cluster, file))));
        loop.scheduleWithFixedDelay(this::roundSafely, ROUND_MILLIS, ROUND_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Cluster name → kubeconfig each discovery should run with: the flags', then the Cluster objects'. */
    static Map<String, Path> wanted(Map<String, Path> fromFlags, List<MeshCluster> declared) {
        Map<String, Path> out = new TreeMap<>(fromFlags);
        for (MeshCluster c : declared) {
            if (!c.kubeconfig().isEmpty()) {
                out.putIfAbsent(c.metadata().name(), Path.of(c.kubeconfig()));
            }
        }
        return out;
    }

    private void roundSafely() {
        try {
            round();
        } catch (RuntimeException e) {
            LOG.warn("cluster discoveries: {}", LogSafe.value(e));
        }
    }

    private synchronized void round() {
        ConfigState s = state.get();
        if (s == null) {
            return;
        }
        Map<String, Path> want = wanted(fromFlags, s.all(MeshCluster.class));
        for (String cluster : List.copyOf(running.keySet())) {
            Path now = want.get(cluster);
            if (!running.get(cluster).kubeconfig().equals(now)) {
                stop(cluster, now == null ? "its Cluster has no spec.kubeconfig any more" : "its kubeconfig changed");
            }
        }
        failing.keySet().removeIf(c -> !want.containsKey(c));
        want.forEach((cluster, file) -> {
            if (!running.containsKey(cluster)) {
                start(cluster, file);
            }
        });
    }

    private DiscoveryComponent open(String cluster, Path kubeconfig) {
        DiscoveryComponent d = DiscoveryComponent.start(bootstrap, ClusterDiscovery.Options.of(cluster, kubeconfig),
                Optional.of(new TrustPublisher.Options(cluster, kubeconfig, rootCert,
                        DiscoveryComponent.WEBHOOK_CONFIG)));
        d.bindMetrics(metrics);
        return d;
    }

    private void start(String cluster, Path kubeconfig) {
        try {
            running.put(cluster, new Running(kubeconfig, open(cluster, kubeconfig)));
            failing.remove(cluster);
            LOG.info("started discovery of cluster {} through {} (its Cluster's spec.kubeconfig)",
                    LogSafe.value(cluster), LogSafe.value(kubeconfig));
        } catch (RuntimeException e) {
            String why = "discovery of cluster " + LogSafe.value(cluster) + " through " + LogSafe.value(kubeconfig)
                    + " cannot start: " + LogSafe.value(e.getMessage());
            if (!why.equals(failing.put(cluster, why))) {
                LOG.warn("{}; tried again every second", why);
            }
        }
    }

    private void stop(String cluster, String why) {
        Running r = running.remove(cluster);
        r.component().close();
        // Its gauges read the closed component: removed, so that a later start registers fresh ones.
        metrics.getMeters().stream().filter(m -> cluster.equals(m.getId().getTag("cluster"))
                        && (m.getId().getName().startsWith("meshlog_discovery_")
                        || m.getId().getName().startsWith("meshlog_trust_")))
                .toList().forEach(metrics::remove);
        LOG.info("stopped discovery of cluster {}: {}", LogSafe.value(cluster), why);
    }

    synchronized List<DiscoveryComponent> components() {
        return running.values().stream().map(Running::component).toList();
    }

    /** Why discoveries are not serving: each running one's own problem, and those that cannot start. */
    synchronized Map<String, String> notReady() {
        Map<String, String> out = new LinkedHashMap<>();
        running.values().forEach(r -> out.putAll(r.component().notReady()));
        failing.forEach((cluster, why) -> out.put("discovery " + cluster, why));
        return out;
    }

    @Override
    public void close() {
        Loops.stop(loop);
        synchronized (this) {
            running.values().forEach(r -> r.component().close());
            running.clear();
        }
    }
}
