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
import meshlog.reconciler.translate.MeshTranslator;
import meshlog.xdscheck.TypeUrls;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proxyless gRPC side of a golden case in a namespace: a case with a {@code grpc.scope} file
 * ({@code namespace: <ns>}) renders {@code grpc/ir.json} (the IR, {@link IrJson}), {@code grpc/listeners.json}, {@code grpc/routes.json} and
 * {@code grpc/notes.txt} for the gRPC clients of that namespace (clusters and endpoints are those of the case's
 * top-level files, asserted equal), as {@link SnapshotComputer#computeAll} publishes them under {@code grpc~<ns>}.
 *
 * <p>Regenerate with {@code -Dgolden.update=true} and review the diff.
 */
class GrpcGoldenTest {

    static Stream<String> cases() throws IOException {
        return GoldenTest.cases().filter(c -> Files.exists(GoldenTest.ROOT.resolve(c).resolve("grpc.scope")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void golden(String name) throws IOException {
        Path caseDir = GoldenTest.ROOT.resolve(name);
        Path dir = caseDir.resolve("grpc");
        ConfigState state = TestConfigs.state(GoldenTest.inputs(name));
        Map<String, String> actual = render(state, namespaceOf(caseDir.resolve("grpc.scope")));
        GoldenTest.writeOrCompare(name + "/grpc", dir, actual);
    }

    static String namespaceOf(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> l.startsWith("namespace:"))
                .map(l -> l.substring("namespace:".length()).trim()).findFirst().orElseThrow();
    }

    static Map<String, String> render(ConfigState state, String namespace) {
        String cluster = SnapshotComputer.clusters(state, List.of("default")).get(0);
        ProxyScope scope = ProxyScope.grpc(namespace);
        SnapshotResult r = SnapshotComputer.computeAll(state, cluster, "golden").stream()
                .filter(x -> x.snapshot().scope().equals(scope.id())).findFirst().orElseThrow();
        SnapshotResult alone = SnapshotComputer.computeWithNotes(state, cluster, scope, "golden");
        assertThat(r.snapshot().version()).as("computeAll's %s is the scope computed alone", scope.id())
                .isEqualTo(alone.snapshot().version());
        SnapshotResult none = SnapshotComputer.computeWithNotes(state, cluster, "golden");
        for (String type : List.of(TypeUrls.CLUSTER, TypeUrls.ENDPOINT)) {
            assertThat(ProtoJson.render(type, r.snapshot().resources().get(type)))
                    .as("%s of %s (the same for every gRPC client)", type, scope.id())
                    .isEqualTo(ProtoJson.render(type, none.snapshot().resources().get(type)));
        }
        Map<String, String> out = new TreeMap<>();
        out.put("ir.json", IrJson.render(MeshTranslator.translate(state.resources().values(), cluster, scope)));
        out.put("listeners.json", ProtoJson.render(TypeUrls.LISTENER, r.snapshot().resources().get(TypeUrls.LISTENER)));
        out.put("routes.json", ProtoJson.render(TypeUrls.ROUTE, r.snapshot().resources().get(TypeUrls.ROUTE)));
        StringBuilder notes = new StringBuilder();
        alone.notes().forEach(n -> notes.append(n).append('\n'));
        out.put("notes.txt", notes.toString());
        return out;
    }
}
