package meshlog.reconciler;

import meshlog.xdscheck.SnapshotCheck;
import java.util.Arrays;
import java.util.Map;
import meshlog.configstore.scope.ProxyScope;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.configstore.state.ConfigState;
import meshlog.reconciler.ir.MeshIr;
import meshlog.reconciler.translate.MeshTranslator;
import meshlog.reconciler.xds.XdsResources;

/**
 * Not a test: measures computing one cluster's snapshot for a generated mesh (default 1,000 services, each
 * ServiceEntry + DestinationRule with 2 subsets + VirtualService 90/10). Run from the module directory with the
 * test classpath: {@code java -cp target/test-classes:target/classes:<deps> meshlog.reconciler.SnapshotBenchmark}.
 *
 * <p>With four arguments {@code services rounds scopes distinct} it measures only {@code computeAll} over
 * {@code scopes} reported sidecar scopes of namespace {@code ns0} (labels {@code app: w<i>}), {@code distinct} of
 * which have a {@code sourceLabels} route of their own: every one is a translation of its own (the label is read),
 * the rest produce equal resources.
 */
public final class SnapshotBenchmark {

    private SnapshotBenchmark() {
    }

    public static void main(String[] args) {
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        if (args.length > 3) {
            manyScopes(services, rounds, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            return;
        }
        long t0 = System.nanoTime();
        ConfigState state = TestConfigs.state(GeneratedConfig.yaml(services));
        System.out.printf("parse+validate+replay of %d services: %.0f ms%n", services, ms(System.nanoTime() - t0));
        double[] times = new double[rounds];
        ScopeSnapshot s = null;
        for (int i = 0; i < rounds; i++) {
            long t = System.nanoTime();
            s = SnapshotComputer.compute(state, "east", "bench");
            times[i] = ms(System.nanoTime() - t);
        }
        long bytes = s.resources().values().stream().flatMap(m -> m.values().stream()).mapToLong(b -> b.length).sum();
        int count = s.resources().values().stream().mapToInt(Map::size).sum();
        double[] warm = Arrays.copyOfRange(times, Math.min(5, rounds - 1), rounds);
        Arrays.sort(warm);
        System.out.printf("compute(): first %.1f ms, warm median %.1f ms, warm min %.1f ms, warm max %.1f ms%n",
                times[0], warm[warm.length / 2], warm[0], warm[warm.length - 1]);
        System.out.printf("%d resources, %d bytes, version %s%n", count, bytes, s.version());
        stages(state, rounds);
        // One Envoy sidecar scope against the gRPC scope (the baseline), measured alternately in the same run.
        ProxyScope sidecar = ProxyScope.sidecar("ns0", Map.of(), ProxyScope.Interception.REDIRECT);
        double[] grpcMs = new double[rounds];
        double[] sidecarMs = new double[rounds];
        ScopeSnapshot sc = null;
        for (int i = 0; i < rounds; i++) {
            long a = System.nanoTime();
            SnapshotComputer.computeWithNotes(state, "east", ProxyScope.GRPC, "bench");
            long b = System.nanoTime();
            sc = SnapshotComputer.computeWithNotes(state, "east", sidecar, "bench").snapshot();
            long c = System.nanoTime();
            grpcMs[i] = ms(b - a);
            sidecarMs[i] = ms(c - b);
        }
        double g = median(grpcMs);
        double e = median(sidecarMs);
        long scBytes = sc.resources().values().stream().flatMap(m -> m.values().stream()).mapToLong(x -> x.length)
                .sum();
        System.out.printf("scope compute, warm medians: grpc %.1f ms, sidecar %.1f ms (%.2fx), sidecar %d resources"
                + " %d bytes%n", g, e, e / g, sc.resources().values().stream().mapToInt(Map::size).sum(), scBytes);
        // Every scope of the cluster in one go (what the reconciler runs per commit), against each scope alone.
        double[] allMs = new double[rounds];
        int scopes = 0;
        for (int i = 0; i < rounds; i++) {
            long a = System.nanoTime();
            scopes = SnapshotComputer.computeAll(state, "east", "bench").size();
            allMs[i] = ms(System.nanoTime() - a);
        }
        System.out.printf("computeAll: %d scopes in %.1f ms warm median (%.1f ms per scope; one sidecar scope alone"
                + " %.1f ms)%n", scopes, median(allMs), median(allMs) / scopes, e);
        // 20 reported scopes of one namespace differing only in a label nothing selects on (a pod name): one
        // translation for all of them.
        java.util.Set<ProxyScope> pods = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            pods.add(ProxyScope.sidecar("ns0", Map.of("app", "client", "pod", "client-" + i),
                    ProxyScope.Interception.REDIRECT));
        }
        java.util.Set<ProxyScope> onePod = java.util.Set.of(pods.iterator().next());
        double[] podsMs = new double[Math.max(3, rounds / 3)];
        double[] onePodMs = new double[podsMs.length];
        int podScopes = 0;
        for (int i = 0; i < podsMs.length; i++) {
            long a = System.nanoTime();
            SnapshotComputer.computeAll(state, "east", "bench", onePod);
            long b = System.nanoTime();
            podScopes = SnapshotComputer.computeAll(state, "east", "bench", pods).size();
            onePodMs[i] = ms(b - a);
            podsMs[i] = ms(System.nanoTime() - b);
        }
        System.out.printf("computeAll with 20 pod scopes: %d scopes in %.1f ms warm median; with 1 of them %.1f ms%n",
                podScopes, median(podsMs), median(onePodMs));
    }

    /**
     * {@code computeAll} of {@code scopes} reported scopes: time per round, the heap its result holds (used heap
     * after GC with the result referenced, minus before), and a digest of every scope's id and version (equal
     * digests: equal output).
     */
    private static void manyScopes(int services, int rounds, int scopes, int distinct) {
        ConfigState state = TestConfigs.state(GeneratedConfig.yaml(services, distinct));
        java.util.Set<ProxyScope> requested = new java.util.HashSet<>();
        for (int i = 0; i < scopes; i++) {
            requested.add(ProxyScope.sidecar("ns0", Map.of("app", "w" + i), ProxyScope.Interception.REDIRECT));
        }
        long base = usedAfterGc();
        for (int i = 0; i < rounds; i++) {
            long a = System.nanoTime();
            java.util.List<SnapshotResult> all = SnapshotComputer.computeAll(state, "east", "bench", requested);
            double took = ms(System.nanoTime() - a);
            long held = usedAfterGc() - base;
            StringBuilder ids = new StringBuilder();
            long bytes = 0;
            for (SnapshotResult r : all) {
                ids.append(r.snapshot().scope()).append(' ').append(r.snapshot().version()).append('\n');
                bytes += r.snapshot().resources().values().stream().flatMap(m -> m.values().stream())
                        .mapToLong(b -> b.length).sum();
            }
            System.out.printf("computeAll round %d: %d scopes in %.0f ms, result holds %d MB of heap (%d MB of"
                            + " resources listed), digest %s%n", i, all.size(), took, held >> 20, bytes >> 20,
                    ScopeSnapshot.hash(ids.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                            .substring(0, 16));
        }
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static double median(double[] all) {
        double[] x = Arrays.copyOfRange(all, all.length / 2, all.length);
        Arrays.sort(x);
        return x[x.length / 2];
    }

    /** Warm median per stage: translate to IR, build xDS bytes, consistency check, version hash. */
    private static void stages(ConfigState state, int rounds) {
        double[][] t = new double[4][rounds];
        for (int i = 0; i < rounds; i++) {
            long a = System.nanoTime();
            MeshIr ir = MeshTranslator.translate(state.resources().values(), "east");
            long b = System.nanoTime();
            Map<String, Map<String, byte[]>> resources = XdsResources.build(ir);
            long c = System.nanoTime();
            SnapshotCheck.problems(resources);
            long d = System.nanoTime();
            ScopeSnapshot.versionOf(resources);
            long e = System.nanoTime();
            t[0][i] = ms(b - a);
            t[1][i] = ms(c - b);
            t[2][i] = ms(d - c);
            t[3][i] = ms(e - d);
        }
        String[] names = {"translate", "build", "check", "version"};
        StringBuilder sb = new StringBuilder("warm medians:");
        for (int k = 0; k < 4; k++) {
            double[] x = Arrays.copyOfRange(t[k], rounds / 2, rounds);
            Arrays.sort(x);
            sb.append(String.format(" %s %.1f ms", names[k], x[x.length / 2]));
        }
        System.out.println(sb);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
