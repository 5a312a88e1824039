package meshlog.reconciler;

import meshlog.xdscheck.SnapshotCheck;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import meshlog.configstore.endpoints.DiscoveredService;
import meshlog.configstore.scope.ProxyScope;
import meshlog.configstore.state.ConfigState;
import meshlog.reconciler.ir.MeshIr;
import meshlog.reconciler.translate.MeshTranslator;
import meshlog.xdscheck.TypeUrls;
import meshlog.reconciler.xds.XdsResources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Envoy sidecar side of the golden cases, at both stage boundaries: {@code golden/<case>/input.yaml} →
 * {@code sidecar/ir.json} (the IR the translators produce, {@link IrJson}) → {@code sidecar/listeners.json},
 * {@code routes.json}, {@code clusters.json}, {@code endpoints.json}, {@code notes.txt}, for a sidecar in namespace
 * {@code default} whose traffic iptables captures (REDIRECT), as istio-proxy runs by default; and
 * {@code sidecar/listeners.none.json} for the same proxy without capture (interception NONE). A case with a
 * {@code sidecar.scope} file ({@code namespace: <ns>} and {@code labels: k=v,k=v} lines) renders the sidecar of
 * that namespace and those labels instead, and also {@code sidecar/clusters.none.json}.
 *
 * <p>Regenerate with {@code -Dgolden.update=true} and review the diff.
 */
class SidecarGoldenTest {

    static final ProxyScope REDIRECT = ProxyScope.sidecar("default", Map.of(), ProxyScope.Interception.REDIRECT);
    static final ProxyScope NONE = ProxyScope.sidecar("default", Map.of(), ProxyScope.Interception.NONE);

    static Stream<String> cases() throws IOException {
        return GoldenTest.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void golden(String name) throws IOException {
        Path dir = GoldenTest.ROOT.resolve(name).resolve("sidecar");
        ConfigState state = TestConfigs.state(GoldenTest.inputs(name));
        Map<String, String> actual = render(state, scopeOf(GoldenTest.ROOT.resolve(name).resolve("sidecar.scope")),
                TestConfigs.discovered(GoldenTest.ROOT.resolve(name)));
        GoldenTest.writeOrCompare(name + "/sidecar", dir, actual);
    }

    /** The REDIRECT scope a case's {@code sidecar.scope} names, or {@link #REDIRECT}; null when there is none. */
    static ProxyScope scopeOf(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        String namespace = "default";
        Map<String, String> labels = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("namespace:")) {
                namespace = line.substring("namespace:".length()).trim();
            } else if (line.startsWith("labels:")) {
                for (String kv : line.substring("labels:".length()).trim().split(",")) {
                    if (!kv.isBlank()) {
                        labels.put(kv.substring(0, kv.indexOf('=')).trim(), kv.substring(kv.indexOf('=') + 1).trim());
                    }
                }
            }
        }
        return ProxyScope.sidecar(namespace, labels, ProxyScope.Interception.REDIRECT);
    }

    static Map<String, String> render(ConfigState state) {
        return render(state, null);
    }

    static Map<String, String> render(ConfigState state, ProxyScope custom) {
        return render(state, custom, List.of());
    }

    static Map<String, String> render(ConfigState state, ProxyScope custom, List<DiscoveredService> discovered) {
        ProxyScope redirect = custom == null ? REDIRECT : custom;
        ProxyScope noCapture = custom == null ? NONE : ProxyScope.sidecar(custom.namespace(), custom.labels(),
                ProxyScope.Interception.NONE);
        String cluster = SnapshotComputer.clusters(state, List.of("default")).get(0);
        Map<String, String> out = new TreeMap<>();
        MeshTranslator.ClusterModel model = MeshTranslator.model(state.resources().values(), discovered, cluster);
        MeshIr ir = MeshTranslator.translate(model, redirect);
        Map<String, Map<String, byte[]>> resources = XdsResources.build(ir);
        assertThat(SnapshotCheck.problems(resources)).isEmpty();
        out.put("ir.json", IrJson.render(ir));
        out.put("listeners.json", ProtoJson.render(TypeUrls.LISTENER, resources.get(TypeUrls.LISTENER)));
        out.put("routes.json", ProtoJson.render(TypeUrls.ROUTE, resources.get(TypeUrls.ROUTE)));
        out.put("clusters.json", ProtoJson.render(TypeUrls.CLUSTER, resources.get(TypeUrls.CLUSTER)));
        out.put("endpoints.json", ProtoJson.render(TypeUrls.ENDPOINT, resources.get(TypeUrls.ENDPOINT)));
        StringBuilder notes = new StringBuilder();
        ir.notes().forEach(n -> notes.append(n).append('\n'));
        out.put("notes.txt", notes.toString());
        MeshIr noneIr = MeshTranslator.translate(model, noCapture);
        Map<String, Map<String, byte[]>> none = XdsResources.build(noneIr);
        assertThat(SnapshotCheck.problems(none)).isEmpty();
        out.put("listeners.none.json", ProtoJson.render(TypeUrls.LISTENER, none.get(TypeUrls.LISTENER)));
        if (custom != null) {
            out.put("clusters.none.json", ProtoJson.render(TypeUrls.CLUSTER, none.get(TypeUrls.CLUSTER)));
            StringBuilder noneNotes = new StringBuilder();
            noneIr.notes().forEach(n -> noneNotes.append(n).append('\n'));
            out.put("notes.none.txt", noneNotes.toString());
        }
        return out;
    }
}
