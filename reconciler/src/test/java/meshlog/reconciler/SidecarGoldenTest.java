package meshlog.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import meshlog.configstore.scope.ProxyScope;
import meshlog.configstore.state.ConfigState;
import meshlog.reconciler.ir.MeshIr;
import meshlog.reconciler.translate.MeshTranslator;
import meshlog.reconciler.xds.TypeUrls;
import meshlog.reconciler.xds.XdsResources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Envoy sidecar side of the golden cases: {@code golden/<case>/input.yaml} → {@code sidecar/listeners.json},
 * {@code routes.json}, {@code clusters.json}, {@code endpoints.json}, {@code notes.txt}, for a sidecar in namespace
 * {@code default} whose traffic iptables captures (REDIRECT), as istio-proxy runs by default; and
 * {@code sidecar/listeners.none.json} for the same proxy without capture (interception NONE).
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
        ConfigState state = TestConfigs.state(Files.readString(GoldenTest.ROOT.resolve(name).resolve("input.yaml")));
        Map<String, String> actual = render(state);
        if (GoldenTest.UPDATE) {
            Files.createDirectories(dir);
            for (var e : actual.entrySet()) {
                Files.writeString(dir.resolve(e.getKey()), e.getValue());
            }
            return;
        }
        List<String> failures = GoldenTest.differences(name + "/sidecar", dir, actual);
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures) + "\nIf the change is intended, regenerate with -Dgolden.update=true"
                    + " and review the diff.");
        }
    }

    static Map<String, String> render(ConfigState state) {
        String cluster = SnapshotComputer.clusters(state, List.of("default")).get(0);
        Map<String, String> out = new TreeMap<>();
        MeshIr ir = MeshTranslator.translate(state.resources().values(), cluster, REDIRECT);
        Map<String, Map<String, byte[]>> resources = XdsResources.build(ir);
        assertThat(ConsistencyChecker.problems(resources)).isEmpty();
        out.put("listeners.json", ProtoJson.render(TypeUrls.LISTENER, resources.get(TypeUrls.LISTENER)));
        out.put("routes.json", ProtoJson.render(TypeUrls.ROUTE, resources.get(TypeUrls.ROUTE)));
        out.put("clusters.json", ProtoJson.render(TypeUrls.CLUSTER, resources.get(TypeUrls.CLUSTER)));
        out.put("endpoints.json", ProtoJson.render(TypeUrls.ENDPOINT, resources.get(TypeUrls.ENDPOINT)));
        StringBuilder notes = new StringBuilder();
        ir.notes().forEach(n -> notes.append(n).append('\n'));
        out.put("notes.txt", notes.toString());
        Map<String, Map<String, byte[]>> none = XdsResources.build(
                MeshTranslator.translate(state.resources().values(), cluster, NONE));
        out.put("listeners.none.json", ProtoJson.render(TypeUrls.LISTENER, none.get(TypeUrls.LISTENER)));
        return out;
    }
}
