package meshlog.ops.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;

/**
 * Validation of a large repository, from files on disk to diagnostics: {@code services} services, each a file with
 * a ServiceEntry, a DestinationRule with two subsets and a VirtualService splitting between them (3 objects each).
 * Baseline in the same run: reading the same files into generic Jackson YAML trees, the floor for any YAML tool.
 *
 * <p>usage: {@code ValidateBenchmark <repo dir to create> [services] [warm runs]}
 */
public final class ValidateBenchmark {

    private ValidateBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int services = args.length > 1 ? Integer.parseInt(args[1]) : 1667;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        generate(dir, services);

        long[] cold = measure(() -> validate(dir));
        List<Long> warm = new ArrayList<>();
        List<Long> baseline = new ArrayList<>();
        long peak = 0;
        for (int i = 0; i < runs; i++) {
            long[] v = measure(() -> validate(dir));
            warm.add(v[0]);
            peak = Math.max(peak, v[1]);
            baseline.add(measure(() -> genericYaml(dir))[0]);
        }
        CompiledConfig c = validate(dir);
        System.out.printf("repository: %d files, %d objects, %d errors, %d warnings%n", services,
                c.resources().size(), c.errors().size(), c.warnings().size());
        System.out.printf("validate, first run in a fresh JVM: %d ms, peak heap %d MiB%n", cold[0], cold[1] >> 20);
        System.out.printf("validate, warm: median %d ms of %s, peak heap %d MiB%n", median(warm), warm, peak >> 20);
        System.out.printf("baseline, generic YAML read: median %d ms of %s%n", median(baseline), baseline);
        System.out.printf("validate / baseline: %.1fx%n", (double) median(warm) / median(baseline));
    }

    static void generate(Path dir, int services) throws IOException {
        Files.createDirectories(dir.resolve("services"));
        for (int i = 0; i < services; i++) {
            String name = "svc-" + i;
            Files.writeString(dir.resolve("services/" + name + ".yaml"), """
                    apiVersion: networking.istio.io/v1
                    kind: ServiceEntry
                    metadata: {name: %1$s, namespace: team-%2$d}
                    spec:
                      hosts: [%1$s.team-%2$d.svc.cluster.local]
                      location: MESH_INTERNAL
                      resolution: STATIC
                      ports: [{number: 8080, name: http, protocol: HTTP}]
                      endpoints:
                      - {address: 10.%3$d.%4$d.1, labels: {version: v1}}
                      - {address: 10.%3$d.%4$d.2, labels: {version: v2}}
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: DestinationRule
                    metadata: {name: %1$s, namespace: team-%2$d}
                    spec:
                      host: %1$s
                      subsets:
                      - {name: v1, labels: {version: v1}}
                      - {name: v2, labels: {version: v2}}
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: {name: %1$s, namespace: team-%2$d}
                    spec:
                      hosts: [%1$s]
                      http:
                      - match: [{uri: {prefix: /api}, headers: {x-canary: {exact: "1"}}}]
                        route:
                        - destination: {host: %1$s, subset: v2}
                      - route:
                        - destination: {host: %1$s, subset: v1}
                          weight: 90
                        - destination: {host: %1$s, subset: v2}
                          weight: 10
                    """.formatted(name, i % 50, i / 250, i % 250));
        }
    }

    private static CompiledConfig validate(Path dir) {
        return ConfigCompiler.compile(read(dir));
    }

    private static Object genericYaml(Path dir) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<Object> trees = new ArrayList<>();
        for (var e : read(dir).entrySet()) {
            try (var p = yaml.getFactory().createParser(e.getValue())) {
                yaml.readValues(p, Object.class).forEachRemaining(trees::add);
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return trees;
    }

    private static Map<String, byte[]> read(Path dir) {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(f).toString(), Files.readAllBytes(f));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return files;
    }

    /** {@code [elapsed ms, peak heap bytes]} of one run; the heap peaks are reset after a full GC first. */
    private static long[] measure(java.util.function.Supplier<?> work) {
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long t0 = System.nanoTime();
        Object result = work.get();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        if (result == null) {
            throw new IllegalStateException("no result");
        }
        return new long[] {ms, peak};
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get((sorted.size() - 1) / 2);
    }
}
