package meshlog.ops.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import meshlog.configstore.scope.ProxyScope;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.model.MeshResource;
import meshlog.ops.BenchSupport;
import meshlog.reconciler.translate.MeshTranslator;
import meshlog.reconciler.xds.XdsResources;
import meshlog.xds.XdsDistributor;

/**
 * Load generator for a distributor at mesh size: {@code services} HTTP services, {@code proxies} simulated Envoy
 * sidecars (delta ADS) in {@code scopes} workload scopes, of which {@code distinct} have routes of their own (a
 * {@code sourceLabels} route each); the rest are identical. It measures the heap the distributor holds, the initial
 * sync, and for each of {@code rounds} route changes (every scope's route table changes) the time from handing the
 * new snapshots to the distributor until every proxy has received its new route table; then one endpoint-only change
 * and which types it sent. The baseline, in the same run and JVM, is a bare java-control-plane server
 * ({@code SimpleCache} and {@code V3DiscoveryServer}, one group per scope, the same protos shared by all groups)
 * pushing the same resources to the same simulated proxies.
 *
 * <p>Run with {@code bench/fanout.sh [services] [proxies] [scopes] [distinct] [rounds]}.
 */
public final class FanOutBenchmark {

    private static final String CLUSTER = "east";
    private static final int CHANNELS = 20;

    private FanOutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int services = arg(args, 0, 1000);
        int proxies = arg(args, 1, 2000);
        int scopes = arg(args, 2, 500);
        int distinct = arg(args, 3, 50);
        int rounds = arg(args, 4, 5);
        System.out.printf(Locale.ROOT, "%d services, %d proxies in %d scopes (%d with routes of their own), %d rounds%n",
                services, proxies, scopes, distinct, rounds);
        Path tmp = Files.createTempDirectory("meshlog-fanout");
        List<ProxyScope> scopeList = new ArrayList<>();
        for (int i = 0; i < scopes; i++) {
            scopeList.add(ProxyScope.sidecar("demo", Map.of("app", "w" + i), ProxyScope.Interception.NONE));
        }
        long t = System.nanoTime();
        List<List<ScopeSnapshot>> versions = new ArrayList<>();
        for (int v = 0; v < 2; v++) {
            versions.add(snapshots(config(services, distinct, v == 0 ? 90 : 10, 0), scopeList, distinct));
        }
        List<ScopeSnapshot> endpointChange = snapshots(config(services, distinct, 90, 1), scopeList, distinct);
        System.out.printf(Locale.ROOT, "translation: %d distinct scopes x 3 configs in %d ms%n",
                Math.min(scopes, distinct + 1), ms(t));
        long heapBase = usedHeapAfterGc();

        // meshlog's distributor
        try (XdsDistributor distributor = BenchSupport.distributor(CLUSTER, tmp)) {
            Result meshlog = run("meshlog distributor", distributor.port(), proxies, scopes, rounds, heapBase,
                    round -> versions.get(round % 2).forEach(distributor::accept),
                    () -> endpointChange.forEach(distributor::accept),
                    () -> versions.get(0).forEach(distributor::accept));
            // baseline: bare java-control-plane
            SimpleCache<String> cache = new SimpleCache<>(node -> node.getMetadata().getFieldsOrThrow("LABELS")
                    .getStructValue().getFieldsOrThrow("app").getStringValue());
            Server server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                    .addService(new V3DiscoveryServer(cache).getAggregatedDiscoveryServiceImpl()).build().start();
            try {
                List<Map<String, Snapshot>> jcp = new ArrayList<>();
                for (List<ScopeSnapshot> vs : versions) {
                    jcp.add(jcpSnapshots(vs, scopeList));
                }
                Map<String, Snapshot> jcpEndpoints = jcpSnapshots(endpointChange, scopeList);
                Result bare = run("bare java-control-plane", server.getPort(), proxies, scopes, rounds, heapBase,
                        round -> jcp.get(round % 2).forEach(cache::setSnapshot),
                        () -> jcpEndpoints.forEach(cache::setSnapshot),
                        () -> jcp.get(0).forEach(cache::setSnapshot));
                System.out.printf(Locale.ROOT, "ratio meshlog/bare: p50 %.2f, p99 %.2f, max %.2f, heap %.2f%n",
                        (double) meshlog.p50 / bare.p50, (double) meshlog.p99 / bare.p99,
                        (double) meshlog.max / bare.max, (double) meshlog.heapMb / bare.heapMb);
            } finally {
                server.shutdownNow();
            }
        } finally {
            BenchSupport.deleteTree(tmp);
        }
    }

    private record Result(long p50, long p99, long max, long heapMb) {
    }

    private static Result run(String name, int port, int proxies, int scopes, int rounds, long heapBase,
                              Consumer<Integer> change, Runnable endpointChange, Runnable back) throws Exception {
        back.run(); // the first version, before any proxy connects
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < CHANNELS; i++) {
            channels.add(Grpc.newChannelBuilder("127.0.0.1:" + port, InsecureChannelCredentials.create())
                    .maxInboundMessageSize(64 << 20).build());
        }
        List<SimulatedEnvoy> envoys = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < proxies; i++) {
                envoys.add(new SimulatedEnvoy(channels.get(i % CHANNELS),
                        "sidecar~10.0.0." + (i % 250) + "~p" + i + ".demo~demo.svc.cluster.local", CLUSTER, "demo",
                        Map.of("app", "w" + (i % scopes)), "8080"));
            }
            awaitAll(envoys, e -> e.count(SimulatedEnvoy.RDS) > 0 && e.count(SimulatedEnvoy.EDS) > 0, 300);
            long sync = ms(t0);
            long heap = (usedHeapAfterGc() - heapBase) >> 20;
            List<Long> latencies = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                long start = System.nanoTime();
                change.accept(r);
                awaitAll(envoys, e -> e.lastResponse.getOrDefault(SimulatedEnvoy.RDS, 0L) > start, 120);
                long handed = ms(start);
                for (SimulatedEnvoy e : envoys) {
                    latencies.add((e.lastResponse.get(SimulatedEnvoy.RDS) - start) / 1_000_000);
                }
                System.out.printf(Locale.ROOT, "  %s round %d: snapshots handed over and every proxy updated in %d ms%n",
                        name, r, handed);
            }
            if (rounds % 2 == 1) {
                long start = System.nanoTime();
                back.run();
                awaitAll(envoys, e -> e.lastResponse.getOrDefault(SimulatedEnvoy.RDS, 0L) > start, 120);
            }
            Thread.sleep(500);
            Map<String, Long> before = counts(envoys);
            long start = System.nanoTime();
            endpointChange.run();
            awaitAll(envoys, e -> e.lastResponse.getOrDefault(SimulatedEnvoy.EDS, 0L) > start, 120);
            long eds = ms(start);
            Thread.sleep(500);
            Map<String, Long> after = counts(envoys);
            Map<String, Long> sent = new LinkedHashMap<>();
            after.forEach((type, n) -> {
                long d = n - before.getOrDefault(type, 0L);
                if (d > 0) {
                    sent.put(type.substring(type.lastIndexOf('.') + 1), d);
                }
            });
            Collections.sort(latencies);
            Result result = new Result(pct(latencies, 50), pct(latencies, 99), latencies.get(latencies.size() - 1),
                    heap);
            System.out.printf(Locale.ROOT, "%s: initial sync of %d proxies %d ms; heap held %d MB; route change to "
                            + "every proxy p50 %d ms, p99 %d ms, max %d ms (%d samples); endpoint-only change to every "
                            + "proxy %d ms, responses sent by type: %s%n", name, proxies, sync, heap, result.p50,
                    result.p99, result.max, latencies.size(), eds, sent);
            return result;
        } finally {
            envoys.forEach(SimulatedEnvoy::close);
            for (ManagedChannel c : channels) {
                c.shutdownNow();
                c.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static Map<String, Long> counts(List<SimulatedEnvoy> envoys) {
        Map<String, Long> total = new HashMap<>();
        for (SimulatedEnvoy e : envoys) {
            e.responses.forEach((type, n) -> total.merge(type, n.get(), Long::sum));
        }
        return total;
    }

    private static void awaitAll(List<SimulatedEnvoy> envoys, java.util.function.Predicate<SimulatedEnvoy> done,
                                 int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (envoys.stream().allMatch(done)) {
                return;
            }
            if (envoys.stream().anyMatch(SimulatedEnvoy::failed)) {
                throw new IllegalStateException("a simulated proxy's stream failed");
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("not every proxy got there within " + seconds + " s: "
                + envoys.stream().filter(done.negate()).count() + " missing");
    }

    /** {@code services} ServiceEntries with 2 endpoints, subsets, a weighted VirtualService each. */
    static String config(int services, int distinct, int v1Weight, int endpointShift) {
        StringBuilder y = new StringBuilder();
        for (int i = 0; i < services; i++) {
            int shift = i == 2 ? endpointShift : 0;
            y.append("""
                    apiVersion: networking.istio.io/v1
                    kind: ServiceEntry
                    metadata: {name: svc%1$d, namespace: demo}
                    spec:
                      hosts: [svc%1$d.demo.svc.cluster.local]
                      location: MESH_INTERNAL
                      resolution: STATIC
                      ports: [{number: 8080, name: http, protocol: HTTP}]
                      endpoints:
                      - {address: 10.1.%2$d.%3$d, labels: {version: v1}}
                      - {address: 10.2.%2$d.%3$d, labels: {version: v2}}
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: DestinationRule
                    metadata: {name: svc%1$d, namespace: demo}
                    spec:
                      host: svc%1$d.demo.svc.cluster.local
                      subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: {name: svc%1$d, namespace: demo}
                    spec:
                      hosts: [svc%1$d.demo.svc.cluster.local]
                      http:
                    """.formatted(i, i / 250, i % 250 + shift));
            if (i == 0) {
                for (int d = 0; d < distinct; d++) {
                    y.append("  - match: [{sourceLabels: {app: w").append(d).append("}}]\n")
                            .append("    route: [{destination: {host: svc0.demo.svc.cluster.local, subset: v2}}]\n");
                }
            }
            y.append("  - route:\n    - {destination: {host: svc").append(i)
                    .append(".demo.svc.cluster.local, subset: v1}, weight: ").append(v1Weight).append("}\n")
                    .append("    - {destination: {host: svc").append(i)
                    .append(".demo.svc.cluster.local, subset: v2}, weight: ").append(100 - v1Weight).append("}\n---\n");
        }
        return y.toString();
    }

    /**
     * One snapshot per scope. Scopes past the first {@code distinct} have identical inputs by construction (no object
     * selects their labels): they are translated once and share that result, as the reconciler shares them
     * ({@code ScopeLabels}); bytes equal across the distinct ones are held once too, so the benchmark's own copy of
     * 1,500 snapshots fits its heap.
     */
    private static List<ScopeSnapshot> snapshots(String yaml, List<ProxyScope> scopes, int distinct) {
        ConfigCompiler.CompiledConfig compiled = ConfigCompiler.compile(
                Map.of("config.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
        if (compiled.hasErrors()) {
            throw new IllegalStateException(compiled.errors().toString());
        }
        List<MeshResource> resources = compiled.resources().stream().map(p -> p.resource()).toList();
        MeshTranslator.ClusterModel model = MeshTranslator.model(resources, CLUSTER);
        Map<String, byte[]> interned = new HashMap<>();
        List<ScopeSnapshot> out = new ArrayList<>();
        Map<String, Map<String, byte[]>> shared = null;
        for (int i = 0; i < scopes.size(); i++) {
            ProxyScope scope = scopes.get(i);
            Map<String, Map<String, byte[]>> xds;
            if (i <= distinct || shared == null) {
                xds = intern(XdsResources.build(MeshTranslator.translate(model, scope)), interned);
                if (i == distinct) {
                    shared = xds;
                }
            } else {
                xds = shared;
            }
            out.add(new ScopeSnapshot(CLUSTER, scope.id(), ScopeSnapshot.versionOf(xds), "bench", xds));
        }
        return out;
    }

    private static Map<String, Map<String, byte[]>> intern(Map<String, Map<String, byte[]>> xds,
                                                         Map<String, byte[]> interned) {
        Map<String, Map<String, byte[]>> out = new java.util.TreeMap<>();
        xds.forEach((type, byName) -> {
            Map<String, byte[]> m = new java.util.TreeMap<>();
            byName.forEach((name, bytes) -> m.put(name, interned.computeIfAbsent(
                    type + "\n" + ScopeSnapshot.hash(bytes), k -> bytes)));
            out.put(type, m);
        });
        return out;
    }

    /** The same resources as java-control-plane snapshots, one per group; identical scopes share their protos. */
    private static Map<String, Snapshot> jcpSnapshots(List<ScopeSnapshot> snapshots, List<ProxyScope> scopes)
            throws InvalidProtocolBufferException {
        Map<String, Snapshot> byVersion = new HashMap<>();
        Map<String, Snapshot> out = new LinkedHashMap<>();
        for (int i = 0; i < snapshots.size(); i++) {
            ScopeSnapshot s = snapshots.get(i);
            Snapshot snap = byVersion.get(s.version());
            if (snap == null) {
                List<Cluster> clusters = new ArrayList<>();
                List<ClusterLoadAssignment> endpoints = new ArrayList<>();
                List<Listener> listeners = new ArrayList<>();
                List<RouteConfiguration> routes = new ArrayList<>();
                for (byte[] b : s.resources().getOrDefault(SimulatedEnvoy.CDS, Map.of()).values()) {
                    clusters.add(Cluster.parseFrom(b));
                }
                for (byte[] b : s.resources().getOrDefault(SimulatedEnvoy.EDS, Map.of()).values()) {
                    endpoints.add(ClusterLoadAssignment.parseFrom(b));
                }
                for (byte[] b : s.resources().getOrDefault(SimulatedEnvoy.LDS, Map.of()).values()) {
                    listeners.add(Listener.parseFrom(b));
                }
                for (byte[] b : s.resources().getOrDefault(SimulatedEnvoy.RDS, Map.of()).values()) {
                    routes.add(RouteConfiguration.parseFrom(b));
                }
                snap = Snapshot.create(clusters, endpoints, listeners, routes, List.of(), s.version());
                byVersion.put(s.version(), snap);
            }
            out.put(scopes.get(i).labels().get("app"), snap);
        }
        return out;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static int arg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }
}
