package meshlog.gatewayapi.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.model.KubeGateway;
import meshlog.gatewayapi.model.KubeHttpRoute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Istio's Bookinfo samples in the Gateway API: each file, alone, is read with no error. */
class KubeBookinfoTest {

    static Stream<Path> files() throws IOException, URISyntaxException {
        Path dir = Path.of(KubeBookinfoTest.class.getClassLoader().getResource("istio/bookinfo/gateway-api")
                .toURI());
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertThat(files).hasSizeGreaterThanOrEqualTo(6);
            return files.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void everyFileAloneHasNoError(Path file) throws IOException {
        CompiledConfig c = ConfigCompiler.compile(Map.of(file.getFileName().toString(), Files.readAllBytes(file)));

        assertThat(c.errors()).as("errors").isEmpty();
        assertThat(c.resources()).isNotEmpty();
    }

    @Test
    void theGatewayAndItsRouteReadAsWritten() throws Exception {
        Path file = Path.of(getClass().getClassLoader().getResource("istio/bookinfo/gateway-api/bookinfo-gateway.yaml")
                .toURI());
        CompiledConfig c = ConfigCompiler.compile(Map.of("bookinfo-gateway.yaml", Files.readAllBytes(file)));

        KubeGateway gw = (KubeGateway) c.resources().get(0).resource();
        assertThat(gw.gatewayClassName()).isEqualTo("istio");
        assertThat(gw.listeners()).singleElement().satisfies(l -> {
            assertThat(l.port()).isEqualTo(80);
            assertThat(l.coreProtocol()).isEqualTo(KubeGateway.CoreProtocol.HTTP);
            assertThat(l.allowedRoutes().namespaces().from()).isEqualTo(KubeGateway.FromNamespaces.Same);
        });
        KubeHttpRoute route = (KubeHttpRoute) c.resources().get(1).resource();
        assertThat(route.parentRefs()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("bookinfo-gateway");
            assertThat(p.isGateway()).isTrue();
            assertThat(p.namespaceOr("default")).isEqualTo("default");
        });
        assertThat(route.rules().get(0).matches()).hasSize(5);
        assertThat(route.rules().get(0).matches().get(0).path())
                .isEqualTo(new KubeHttpRoute.PathMatch(KubeHttpRoute.PathType.Exact, "/productpage"));
        assertThat(route.rules().get(0).backendRefs()).singleElement().satisfies(b -> {
            assertThat(b.name()).isEqualTo("productpage");
            assertThat(b.port()).isEqualTo(9080);
            assertThat(b.weight()).isEqualTo(1);
            assertThat(b.ref().isService()).isTrue();
        });
    }
}
