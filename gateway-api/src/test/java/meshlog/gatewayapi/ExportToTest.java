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
        assertThat(ExportTo.Defaults.ISTIO.check()).isNull();
        assertThat(new ExportTo.Defaults(List.of("~"), OWN, OWN).check()).isNull();
        assertThat(new ExportTo.Defaults(ALL, List.of("~"), ALL).check())
                .isEqualTo("default virtualService exportTo must be \"*\" or \".\", got [~]");
        assertThat(new ExportTo.Defaults(ALL, ALL, List.of("shop")).check())
                .isEqualTo("default destinationRule exportTo must be \"*\" or \".\", got [shop]");
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
