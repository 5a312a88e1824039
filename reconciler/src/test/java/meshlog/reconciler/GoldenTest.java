package meshlog.reconciler;

import meshlog.xdscheck.SnapshotCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import meshlog.configstore.endpoints.DiscoveredService;
import meshlog.configstore.scope.ProxyScope;
import meshlog.configstore.state.ConfigState;
import meshlog.reconciler.ir.TranslationNote;
import meshlog.xdscheck.TypeUrls;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code src/test/resources/golden/<case>/input.yaml} (Istio YAML) → {@code listeners.json}, {@code routes.json},
 * {@code clusters.json}, {@code endpoints.json} (protobuf JSON of the published bytes, by name) and
 * {@code notes.txt}, and {@code version.txt} (each cluster's snapshot version, a hash of the published bytes, so
 * a golden run in another JVM also proves the bytes identical). A case with several {@code Cluster} objects gets {@code endpoints.<cluster>.json} per cluster;
 * the other files must then be the same for every cluster.
 *
 * <p>Regenerate with {@code mvn -pl reconciler test -Dtest=GoldenTest -Dgolden.update=true} and review the diff.
 */
class GoldenTest {

    static final Path ROOT = Path.of("src/test/resources/golden");
    static final boolean UPDATE = Boolean.getBoolean("golden.update");
    static final Map<String, String> FILES = Map.of(
            TypeUrls.LISTENER, "listeners.json",
            TypeUrls.ROUTE, "routes.json",
            TypeUrls.CLUSTER, "clusters.json");

    /** Every directory with an {@code input.yaml}, directly under {@link #ROOT} or one level down (a group). */
    static Stream<String> cases() throws IOException {
        try (Stream<Path> dirs = Files.walk(ROOT, 2)) {
            return dirs.filter(d -> Files.exists(d.resolve("input.yaml")))
                    .map(d -> ROOT.relativize(d).toString().replace('\\', '/')).sorted().toList().stream();
        }
    }

    /**
     * The files a case applies, in order: its group's {@code fixture.yaml} (a case in a group directory), the
     * {@code input.yaml} of each sibling case its {@code with.txt} names (one a line), then its own.
     */
    static String[] inputs(String name) throws IOException {
        Path dir = ROOT.resolve(name);
        List<String> files = new ArrayList<>();
        Path fixture = dir.getParent().resolve("fixture.yaml");
        if (!dir.getParent().equals(ROOT) && Files.exists(fixture)) {
            files.add(Files.readString(fixture));
        }
        Path with = dir.resolve("with.txt");
        if (Files.exists(with)) {
            for (String other : Files.readAllLines(with)) {
                if (!other.isBlank()) {
                    files.add(Files.readString(dir.getParent().resolve(other.strip()).resolve("input.yaml")));
                }
            }
        }
        files.add(Files.readString(dir.resolve("input.yaml")));
        return files.toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void golden(String name) throws IOException {
        Path dir = ROOT.resolve(name);
        Map<String, String> actual = render(TestConfigs.state(inputs(name)), TestConfigs.discovered(dir));
        if (UPDATE) {
            for (Path stale : outputs(dir)) {
                Files.delete(stale);
            }
            for (var e : actual.entrySet()) {
                Files.writeString(dir.resolve(e.getKey()), e.getValue());
            }
            return;
        }
        List<String> failures = differences(name, dir, actual);
        for (Path p : outputs(dir)) {
            if (!actual.containsKey(p.getFileName().toString())) {
                failures.add(name + "/" + p.getFileName() + " is no longer produced");
            }
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures) + "\nIf the change is intended, regenerate with -Dgolden.update=true"
                    + " and review the diff.");
        }
    }

    /**
     * The outputs of one proxy kind's golden ({@code <case>/<kind>/}): written with {@code -Dgolden.update=true},
     * else compared, failing with the diffs.
     */
    static void writeOrCompare(String label, Path dir, Map<String, String> actual) throws IOException {
        if (UPDATE) {
            Files.createDirectories(dir);
            for (var e : actual.entrySet()) {
                Files.writeString(dir.resolve(e.getKey()), e.getValue());
            }
            return;
        }
        List<String> failures = differences(label, dir, actual);
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures) + "\nIf the change is intended, regenerate with -Dgolden.update=true"
                    + " and review the diff.");
        }
    }

    /** Each produced file that is missing from {@code dir} or differs from it, with the diff. */
    static List<String> differences(String label, Path dir, Map<String, String> actual) throws IOException {
        List<String> failures = new ArrayList<>();
        for (var e : actual.entrySet()) {
            Path file = dir.resolve(e.getKey());
            if (!Files.exists(file)) {
                failures.add(label + "/" + e.getKey() + " is missing; produced:\n" + e.getValue());
            } else if (!Files.readString(file).equals(e.getValue())) {
                failures.add(label + "/" + e.getKey() + " differs (- golden, + actual):\n"
                        + TextDiff.diff(Files.readString(file), e.getValue()));
            }
        }
        return failures;
    }

    /** File name → content, for every cluster the state declares (or {@code default}). */
    static Map<String, String> render(ConfigState state) {
        return render(state, List.of());
    }

    /** Like {@link #render(ConfigState)}, with the Kubernetes Services of {@code discovered.jsonl}. */
    static Map<String, String> render(ConfigState state, List<DiscoveredService> discovered) {
        List<String> clusters = SnapshotComputer.clusters(state, List.of("default"));
        Map<String, String> out = new TreeMap<>();
        SnapshotResult first = null;
        StringBuilder versions = new StringBuilder();
        for (String cluster : clusters) {
            SnapshotResult r = SnapshotComputer.computeWithNotes(state, discovered, cluster, ProxyScope.GRPC,
                    "golden");
            assertThat(SnapshotCheck.problems(r.snapshot().resources())).isEmpty();
            if (first == null) {
                first = r;
                FILES.forEach((type, file) -> out.put(file, ProtoJson.render(type, r.snapshot().resources().get(type))));
                out.put("notes.txt", notes(r.notes()));
            } else {
                for (String type : FILES.keySet()) {
                    assertThat(ProtoJson.render(type, r.snapshot().resources().get(type)))
                            .as("%s in cluster %s (routing is the same in every cluster)", type, cluster)
                            .isEqualTo(out.get(FILES.get(type)));
                }
            }
            String endpoints = clusters.size() == 1 ? "endpoints.json" : "endpoints." + cluster + ".json";
            out.put(endpoints, ProtoJson.render(TypeUrls.ENDPOINT, r.snapshot().resources().get(TypeUrls.ENDPOINT)));
            versions.append(cluster).append(' ').append(r.snapshot().version()).append('\n');
        }
        // The version hashes the published bytes: equal here in every run means byte-identical across JVMs.
        out.put("version.txt", versions.toString());
        return out;
    }

    private static String notes(List<TranslationNote> notes) {
        StringBuilder sb = new StringBuilder();
        notes.forEach(n -> sb.append(n).append('\n'));
        return sb.toString();
    }

    private static List<Path> outputs(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("input.yaml")
                            && !p.getFileName().toString().equals("sidecar.scope")
                            && !p.getFileName().toString().equals("with.txt")
                            && !p.getFileName().toString().equals("README.md")
                            && !p.getFileName().toString().equals("grpc.scope")
                            && !p.getFileName().toString().equals("gateway.scope")
                            && !p.getFileName().toString().equals("discovered.jsonl"))
                    .sorted().toList();
        }
    }
}
