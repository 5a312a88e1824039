package meshlog.gatewayapi.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.corpus.IstioTable.Case;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parity with the cases of Istio's own validation tests ({@link IstioTable}): meshlog reaches Istio's verdict on
 * each, except where it differs on purpose, and then it reaches the verdict docs/diagnostics.md names for the case.
 */
class IstioTableTest {

    static List<Case> cases() throws Exception {
        return IstioTable.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void meshlogReachesTheExpectedVerdict(Case c) {
        CompiledConfig compiled = ConfigCompiler.compile(Map.of("case.yaml", c.yaml().getBytes(StandardCharsets.UTF_8)));

        assertThat(IstioTable.holds(c.expected(), c.warningsChecked(), c.code(), compiled))
                .as("%s: expected %s%s%s, got %s", c, c.expected(), c.code() == null ? "" : " with " + c.code(),
                        c.differs() == null ? " (Istio's verdict)" : " (meshlog differs: " + c.differs() + ")",
                        compiled.diagnostics())
                .isTrue();
    }

    @Test
    void everyCaseIsNamedOnceAndTheTableIsLarge() throws Exception {
        List<String> names = cases().stream().map(c -> c.test() + " / " + c.name()).toList();

        assertThat(names).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(200);
    }

    @Test
    void everyDeliberateDifferenceIsDocumentedAndTheCountsAreCurrent() throws Exception {
        String docs = Files.readString(Path.of("../docs/diagnostics.md"));
        List<Case> all = cases();
        List<Case> differ = all.stream().filter(c -> c.differs() != null).toList();

        for (Case c : differ) {
            assertThat(docs).as("docs/diagnostics.md names %s", c).contains("`" + c.test() + "` / " + c.name());
        }
        String counts = String.format("%d cases ported, %d agree, %d differ on purpose", all.size(),
                all.size() - differ.size(), differ.size());
        assertThat(docs).as("the agreement count in docs/diagnostics.md").contains(counts);
    }

    @Test
    void casesCoverEveryKind() throws Exception {
        Map<String, Long> byFile = cases().stream().collect(Collectors.groupingBy(Case::file, Collectors.counting()));

        assertThat(byFile.keySet()).contains("virtualservice.yaml", "destinationrule.yaml", "gateway.yaml",
                "serviceentry.yaml", "sidecar.yaml", "workloadentry.yaml", "security.yaml");
    }

}
