package meshlog.ops.bench;

import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import meshlog.ops.BenchSupport;

/**
 * Endpoint churn across clusters (issue 9): {@code meshlog up} discovering three clusters (one fabric8 mock API
 * server each, its own JVM), {@code services} Services of {@code endpoints} endpoints in each (the same names in
 * all three, so each service's endpoints are those of every cluster), and {@code proxies} simulated Envoy sidecars
 * (delta ADS, {@link SimulatedEnvoy}) of cluster east. For {@code seconds} seconds, {@code rate} EndpointSlice
 * changes a second, round robin over the clusters and services, each giving one endpoint a new address: per change,
 * the time from the API server's answer to the write until every proxy's EDS holds the new address (p50/p99/max;
 * a change overtaken on the same slice before every proxy had it is counted apart), the EDS responses each proxy
 * got against the changes, and the CPU the reconciler thread used. Baseline in the same run: {@code commits} config
 * commits (a VirtualService on one service, which every scope's route table carries), each a full recompute of the
 * snapshots: the reconciler's CPU per commit against its CPU per endpoint change.
 *
 * <p>Run with {@code bench/churn.sh [proxies=1000] [rate=50] [seconds=60] [services=20] [endpoints=5] [commits=10]}.
 */
public final class ChurnBenchmark {

    private static final List<String> CLUSTERS = List.of("east", "west", "north");
    private static final int CHANNELS = 20;
    private static final int PORT = 9080;

    private ChurnBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int proxies = arg(args, 0, 1000);
        int rate = arg(args, 1, 50);
        int seconds = arg(args, 2, 60);
        int services = arg(args, 3, 20);
        int endpoints = arg(args, 4, 5);
        int commits = arg(args, 5, 10);
        int total = rate * seconds;
        if (total > 250 * 250) {
            throw new IllegalArgumentException("at most 62,500 changes (their addresses are 10.11x.a.b)");
        }
        Path tmp = Files.createTempDirectory("meshlog-churn");
        List<ManagedChannel> channels = new ArrayList<>();
        List<SimulatedEnvoy> envoys = new ArrayList<>();
        try (BenchSupport.KubeMesh mesh = BenchSupport.startKube(tmp, CLUSTERS, List.of(
                "--xds-max-streams-per-address", String.valueOf(proxies + 100),
                "--xds-max-streams", String.valueOf(proxies + 100), "--xds-requests-per-second", "200",
                "--xds-request-burst", "1000"))) {
            for (int c = 0; c < CLUSTERS.size(); c++) {
                populate(mesh.kube(CLUSTERS.get(c)), c, services, endpoints);
            }
            String[] hostPort = mesh.xds("east").split(":");
            for (int i = 0; i < CHANNELS; i++) {
                channels.add(Grpc.newChannelBuilderForAddress(hostPort[0], Integer.parseInt(hostPort[1]),
                        InsecureChannelCredentials.create()).maxInboundMessageSize(64 << 20).build());
            }
            Tracker tracker = new Tracker(total, proxies, CLUSTERS.size() * endpoints);
            long connect0 = System.nanoTime();
            for (int p = 0; p < proxies; p++) {
                int proxy = p;
                envoys.add(new SimulatedEnvoy(channels.get(p % CHANNELS), "sidecar~127.0.0.1~client-" + p
                        + ".default~default.svc.cluster.local", "east", "default", Map.of("app", "client"),
                        String.valueOf(PORT), cla -> tracker.received(proxy, cla)));
            }
            tracker.awaitSynced(services, Integer.getInteger("churn.syncSeconds", 180));
            double syncSeconds = (System.nanoTime() - connect0) / 1e9;
            System.out.printf(Locale.ROOT, "initial sync: %d proxies, %d services x %d clusters x %d endpoints in"
                    + " %.1f s%n", proxies, services, CLUSTERS.size(), endpoints, syncSeconds);

            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long edsBefore = envoys.stream().mapToLong(e -> e.count(SimulatedEnvoy.EDS)).sum();
            long cpu0 = reconcilerCpu(threads);
            long wall0 = System.nanoTime();
            int[] latest = new int[CLUSTERS.size() * services];
            java.util.Arrays.fill(latest, -1);
            for (int i = 0; i < total; i++) {
                long due = wall0 + i * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                int c = i % CLUSTERS.size();
                int s = (i / CLUSTERS.size()) % services;
                String address = Tracker.address(c, i);
                mesh.kube(CLUSTERS.get(c)).discovery().v1().endpointSlices().inNamespace("default")
                        .withName("svc-" + s).edit(slice -> {
                            List<Endpoint> eps = new ArrayList<>(slice.getEndpoints());
                            eps.set(0, new EndpointBuilder(eps.get(0)).withAddresses(address).build());
                            slice.setEndpoints(eps);
                            return slice;
                        });
                tracker.changed(i);
                latest[c * services + s] = i;
            }
            double churnSeconds = (System.nanoTime() - wall0) / 1e9;
            List<Integer> last = java.util.Arrays.stream(latest).filter(i -> i >= 0).boxed().toList();
            boolean settled = tracker.awaitDone(last, 60);
            long cpuChurn = reconcilerCpu(threads) - cpu0;
            long eds = envoys.stream().mapToLong(e -> e.count(SimulatedEnvoy.EDS)).sum() - edsBefore;
            List<Long> done = tracker.latencies();
            int overtaken = total - done.size();
            System.out.printf(Locale.ROOT, "churn: %d changes in %.1f s (%.1f/s), %d reached every proxy, %d"
                    + " overtaken on their slice first%s%n", total, churnSeconds, total / churnSeconds, done.size(),
                    overtaken, settled ? "" : "; NOT SETTLED within 60 s");
            System.out.printf(Locale.ROOT, "API change -> every proxy's EDS: p50 %d ms, p99 %d ms, max %d ms%n",
                    pct(done, 50), pct(done, 99), pct(done, 100));
            System.out.printf(Locale.ROOT, "EDS responses: %.1f per proxy for %d changes (%.3f per change per"
                    + " proxy)%n", eds / (double) proxies, total, eds / (double) proxies / total);
            System.out.printf(Locale.ROOT, "reconciler CPU during churn: %.2f s (%.1f %% of one core, %.2f ms per"
                    + " change)%n", cpuChurn / 1e9, 100.0 * cpuChurn / (churnSeconds * 1e9), cpuChurn / 1e6 / total);

            // Baseline: full recomputes, by config commits every scope's route table carries.
            long cpuCommits = 0;
            List<Long> commitToAll = new ArrayList<>();
            for (int k = 0; k < commits; k++) {
                Thread.sleep(1_000);
                long before = reconcilerCpu(threads);
                long t0 = System.nanoTime();
                mesh.commit("routes.yaml", virtualService(k), "svc-0: header route " + k);
                awaitRoutes(envoys, t0, 60);
                commitToAll.add((System.nanoTime() - t0) / 1_000_000);
                Thread.sleep(500); // the publication's tail (snapshot topic, ACK records) on the same thread
                cpuCommits += reconcilerCpu(threads) - before;
            }
            double perCommit = cpuCommits / 1e6 / commits;
            double perChange = cpuChurn / 1e6 / total;
            System.out.printf(Locale.ROOT, "full recompute (config commit): reconciler CPU %.1f ms per commit;"
                    + " commit -> every proxy's RDS p50 %d ms; endpoint change / full recompute CPU = %.2f%n",
                    perCommit, pct(commitToAll, 50), perChange / perCommit);
        } finally {
            envoys.forEach(SimulatedEnvoy::close);
            channels.forEach(ManagedChannel::shutdownNow);
            BenchSupport.deleteTree(tmp);
        }
    }

    /** Services svc-0..n-1 of port 9080, each one EndpointSlice of {@code endpoints} ready endpoints. */
    private static void populate(KubernetesClient kube, int c, int services, int endpoints) {
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("default").endMetadata()
                .build()).create();
        for (int s = 0; s < services; s++) {
            String ip = "10.96." + c + "." + (s + 1);
            kube.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata()
                    .withName("svc-" + s).endMetadata().withNewSpec().withClusterIP(ip).withClusterIPs(ip)
                    .addNewPort().withName("http").withPort(PORT).withTargetPort(new IntOrString(PORT)).endPort()
                    .withSelector(Map.of("app", "svc-" + s)).endSpec().build()).create();
            List<Endpoint> eps = new ArrayList<>();
            for (int e = 0; e < endpoints; e++) {
                eps.add(new EndpointBuilder().withAddresses("10." + (100 + c) + "." + s + "." + (e + 1))
                        .withNewConditions().withReady(true).endConditions().build());
            }
            kube.discovery().v1().endpointSlices().inNamespace("default").resource(new EndpointSliceBuilder()
                    .withNewMetadata().withName("svc-" + s).withLabels(Map.of("kubernetes.io/service-name",
                            "svc-" + s)).endMetadata().withAddressType("IPv4").withPorts(new EndpointPortBuilder()
                            .withName("http").withPort(PORT).withProtocol("TCP").build()).withEndpoints(eps).build())
                    .create();
        }
    }

    private static String virtualService(int k) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: svc-0, namespace: default}
                spec:
                  hosts: [svc-0]
                  http:
                  - match: [{headers: {x-round: {exact: "%d"}}}]
                    route: [{destination: {host: svc-0}}]
                  - route: [{destination: {host: svc-0}}]
                """.formatted(k);
    }

    private static void awaitRoutes(List<SimulatedEnvoy> envoys, long since, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (envoys.stream().allMatch(e -> e.lastResponse.getOrDefault(SimulatedEnvoy.RDS, 0L) > since)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("a config commit did not reach every proxy's RDS within " + seconds + " s");
    }

    /** CPU time of the reconciler's thread ({@code ReconcilerService} names it "reconciler"). */
    private static long reconcilerCpu(ThreadMXBean threads) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("reconciler"))
                .mapToLong(t -> threads.getThreadCpuTime(t.getId())).sum();
    }

    private static long pct(List<Long> values, int p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static int arg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }

    /** Which proxy has seen which change's address, and when the last one did. */
    private static final class Tracker {
        private final int proxies;
        private final int endpointsPerService;
        private final long[] changedAt;
        private final AtomicIntegerArray seenBy;
        private final AtomicLongArray doneAt;
        private final BitSet[] seen;
        /** Per proxy: EDS cluster → endpoints in its last assignment, for the initial sync. */
        private final List<Map<String, Integer>> sizes = new ArrayList<>();

        Tracker(int changes, int proxies, int endpointsPerService) {
            this.proxies = proxies;
            this.endpointsPerService = endpointsPerService;
            this.changedAt = new long[changes];
            this.seenBy = new AtomicIntegerArray(changes);
            this.doneAt = new AtomicLongArray(changes);
            this.seen = new BitSet[proxies];
            for (int p = 0; p < proxies; p++) {
                seen[p] = new BitSet(changes);
                sizes.add(new ConcurrentHashMap<>());
            }
        }

        /** Change i of cluster c: 10.(110+c).(i/250).(i%250+1), unique and apart from the initial addresses. */
        static String address(int c, int i) {
            return "10." + (110 + c) + "." + (i / 250) + "." + (i % 250 + 1);
        }

        void changed(int i) {
            changedAt[i] = System.nanoTime();
        }

        /** Called on the proxy's own stream callbacks, which gRPC runs one at a time. */
        void received(int proxy, ClusterLoadAssignment cla) {
            long now = System.nanoTime();
            int n = 0;
            for (var locality : cla.getEndpointsList()) {
                for (var lb : locality.getLbEndpointsList()) {
                    n++;
                    String a = lb.getEndpoint().getAddress().getSocketAddress().getAddress();
                    int i = index(a);
                    if (i >= 0 && i < changedAt.length && !seen[proxy].get(i)) {
                        seen[proxy].set(i);
                        if (seenBy.incrementAndGet(i) == proxies) {
                            doneAt.set(i, now);
                        }
                    }
                }
            }
            sizes.get(proxy).put(cla.getClusterName(), n);
        }

        private static int index(String address) {
            if (!address.startsWith("10.11")) {
                return -1;
            }
            String[] p = address.split("\\.");
            return Integer.parseInt(p[2]) * 250 + Integer.parseInt(p[3]) - 1;
        }

        void awaitSynced(int services, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (sizes.stream().allMatch(m -> m.entrySet().stream().filter(e -> e.getKey().contains("||svc-"))
                        .filter(e -> e.getValue() == endpointsPerService).count() == services)) {
                    return;
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("the proxies did not get every endpoint within " + seconds + " s; the"
                    + " first proxy has " + new java.util.TreeMap<>(sizes.get(0)));
        }

        boolean awaitDone(List<Integer> changes, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (changes.stream().allMatch(i -> doneAt.get(i) != 0)) {
                    return true;
                }
                Thread.sleep(50);
            }
            return false;
        }

        /** Milliseconds from each change to the last proxy seeing it, for the changes every proxy saw. */
        List<Long> latencies() {
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < changedAt.length; i++) {
                if (doneAt.get(i) != 0) {
                    out.add(Math.max(0, (doneAt.get(i) - changedAt[i]) / 1_000_000));
                }
            }
            return out;
        }
    }
}
