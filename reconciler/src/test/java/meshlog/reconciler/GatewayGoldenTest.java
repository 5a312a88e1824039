package meshlog.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

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
import meshlog.reconciler.xds.XdsResources;
import meshlog.xdscheck.SnapshotCheck;
import meshlog.xdscheck.TypeUrls;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Envoy gateway side of the golden cases with a {@code gateway.scope} file ({@code namespace: <ns>} and
 * {@code labels: k=v,k=v}, the gateway pod's): {@code golden/<case>/input.yaml} → {@code gateway/ir.json} →
 * {@code gateway/listeners.json}, {@code routes.json}, {@code clusters.json}, {@code notes.txt} (and {@code status.txt}, the Gateway API objects' conditions, when
 * there are any), for a gateway
 * proxy (node id {@code router~...}) of that namespace and those labels.
 *
 * <p>Regenerate with {@code -Dgolden.update=true} and review the diff.
 */
class GatewayGoldenTest {

    static Stream<String> cases() throws IOException {
        return GoldenTest.cases().filter(c -> Files.exists(GoldenTest.ROOT.resolve(c).resolve("gateway.scope")))
                .toList().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void golden(String name) throws IOException {
        Path dir = GoldenTest.ROOT.resolve(name).resolve("gateway");
        ConfigState state = TestConfigs.state(GoldenTest.inputs(name));
        ProxyScope sidecar = SidecarGoldenTest.scopeOf(GoldenTest.ROOT.resolve(name).resolve("gateway.scope"));
        Map<String, String> actual = render(state, ProxyScope.router(sidecar.namespace(), sidecar.labels()));
        GoldenTest.writeOrCompare(name + "/gateway", dir, actual);
    }

    static Map<String, String> render(ConfigState state, ProxyScope router) {
        String cluster = SnapshotComputer.clusters(state, List.of("default")).get(0);
        MeshTranslator.ClusterModel model = MeshTranslator.model(state.resources().values(), cluster);
        MeshIr ir = MeshTranslator.translate(model, router);
        Map<String, Map<String, byte[]>> resources = XdsResources.build(ir);
        assertThat(SnapshotCheck.problems(resources)).isEmpty();
        Map<String, String> out = new TreeMap<>();
        out.put("ir.json", IrJson.render(ir));
        out.put("listeners.json", ProtoJson.render(TypeUrls.LISTENER, resources.get(TypeUrls.LISTENER)));
        out.put("routes.json", ProtoJson.render(TypeUrls.ROUTE, resources.get(TypeUrls.ROUTE)));
        out.put("clusters.json", ProtoJson.render(TypeUrls.CLUSTER, resources.get(TypeUrls.CLUSTER)));
        StringBuilder notes = new StringBuilder();
        ir.notes().forEach(n -> notes.append(n).append('\n'));
        out.put("notes.txt", notes.toString());
        if (!model.gatewayApiStatus().isEmpty()) {
            StringBuilder status = new StringBuilder();
            model.gatewayApiStatus().forEach(c -> status.append(c).append('\n'));
            out.put("status.txt", status.toString());
        }
        return out;
    }
}
