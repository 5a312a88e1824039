package meshlog.gatewayapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExportToTest {

    static final List<String> ALL = List.of("*");
    static final List<String> OWN = List.of(".");

    @Test
    void visibilityOfEachKindOfEntry() {
        assertThat(ExportTo.visible(List.of(), ALL, "a", "b")).isTrue();
        assertThat(ExportTo.visible(List.of(), OWN, "a", "b")).isFalse();
        assertThat(ExportTo.visible(List.of(), OWN, "a", "a")).isTrue();
        assertThat(ExportTo.visible(List.of("."), ALL, "a", "a")).isTrue();
        assertThat(ExportTo.visible(List.of("."), ALL, "a", "b")).isFalse();
        assertThat(ExportTo.visible(List.of("b", "c"), ALL, "a", "c")).isTrue();
        assertThat(ExportTo.visible(List.of("b", "c"), ALL, "a", "a")).isFalse();
        assertThat(ExportTo.visible(List.of("~"), ALL, "a", "a")).isFalse();
        assertThat(ExportTo.visible(List.of("*"), OWN, "a", "z")).isTrue();
        assertThat(ExportTo.visible(List.of(), List.of("~"), "a", "a")).isFalse();
        // A scope of no namespace sees only what is exported everywhere.
        assertThat(ExportTo.visible(List.of("."), ALL, "a", "")).isFalse();
        assertThat(ExportTo.visible(List.of(), ALL, "a", "")).isTrue();
    }

    @Test
    void privateMeansTheOwnNamespaceAlone() {
        assertThat(ExportTo.ownNamespaceOnly(List.of("."), ALL, "a")).isTrue();
        assertThat(ExportTo.ownNamespaceOnly(List.of("a"), ALL, "a")).isTrue();
        assertThat(ExportTo.ownNamespaceOnly(List.of(), OWN, "a")).isTrue();
        assertThat(ExportTo.ownNamespaceOnly(List.of(), ALL, "a")).isFalse();
        assertThat(ExportTo.ownNamespaceOnly(List.of(".", "b"), ALL, "a")).isFalse();
    }

    @Test
    void overlapIsANamespaceThatSeesBoth() {
        assertThat(ExportTo.overlap(OWN, ALL, "a", OWN, ALL, "b")).isFalse();
        assertThat(ExportTo.overlap(OWN, ALL, "a", List.of("a"), ALL, "b")).isTrue();
        assertThat(ExportTo.overlap(List.of(), ALL, "a", OWN, ALL, "b")).isTrue();
        assertThat(ExportTo.overlap(List.of("~"), ALL, "a", List.of(), ALL, "b")).isFalse();
    }

    @Test
    void defaultsAreStarDotOrTildeForServices() {
        assertThat(ExportTo.defaultProblem(List.of(), false)).isNull();
        assertThat(ExportTo.defaultProblem(OWN, false)).isNull();
        assertThat(ExportTo.defaultProblem(List.of("~"), true)).isNull();
        assertThat(ExportTo.defaultProblem(List.of("~"), false))
                .isEqualTo("must be one entry, \"*\" or \".\" (what Istio honours there), got [~]");
        assertThat(ExportTo.defaultProblem(List.of("shop"), true))
                .isEqualTo("must be one entry, \"*\" or \".\" or \"~\" (what Istio honours there), got [shop]");
    }

    @Test
    void aClusterCarriesItsProxiesDefaults() {
        String cluster = """
                apiVersion: meshlog.dev/v1alpha1
                kind: Cluster
                metadata: {name: east}
                spec:
                  defaultServiceExportTo: ["."]
                  defaultDestinationRuleExportTo: [shop]
                """;
        var compiled = ConfigCompiler.compile(Map.of("cluster.yaml", cluster.getBytes(StandardCharsets.UTF_8)));
        assertThat(compiled.errors()).extracting(Diagnostic::format).containsExactly("cluster.yaml:6:3: error [CL0001]"
                + " Cluster default/east spec.defaultDestinationRuleExportTo: must be one entry, \"*\" or \".\" (what"
                + " Istio honours there), got [shop]");
        var ok = ConfigCompiler.compile(Map.of("cluster.yaml", cluster.replace("[shop]", "[\".\"]")
                .getBytes(StandardCharsets.UTF_8)));
        var mc = (meshlog.gatewayapi.model.MeshCluster) ok.resources().get(0).resource();
        assertThat(mc.exportDefaults()).isEqualTo(new ExportTo.Defaults(OWN, ALL, OWN));
    }

    @Test
    void twoVirtualServicesForOneHostClashOnlyWhereANamespaceSeesBoth() {
        String own = vs("a", "[\".\"]") + "---\n" + vs("b", "[\".\"]");
        assertThat(codes(own)).doesNotContain("XR0002");
        String both = vs("a", "[\".\"]") + "---\n" + vs("b", "[a]");
        assertThat(codes(both)).contains("XR0002");
        String defaults = vs("a", "[\".\"]") + "---\n" + vs("b", "[]");
        assertThat(codes(defaults)).contains("XR0002");
    }

    private static String vs(String namespace, String exportTo) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: web, namespace: %s}
                spec:
                  hosts: [web.example.com]
                  exportTo: %s
                  http:
                  - route:
                    - destination: {host: web.example.com}
                """.formatted(namespace, exportTo);
    }

    private static List<String> codes(String yaml) {
        return ConfigCompiler.compile(Map.of("vs.yaml", yaml.getBytes(StandardCharsets.UTF_8))).errors().stream()
                .map(Diagnostic::code).toList();
    }
}
