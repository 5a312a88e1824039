package meshlog.gatewayapi.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import meshlog.gatewayapi.model.MeshResource;
import org.junit.jupiter.api.Test;

class CoverageTest {

    static final Path CONFIG_MD = Path.of("../docs/config.md");
    static final String REGENERATE = "mvn -o -q -pl gateway-api -am test -Dtest=CoverageTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dcoverage.update=true";

    @Test
    void docsConfigMdHoldsTheSectionTheTableGenerates() throws IOException {
        String text = Files.readString(CONFIG_MD);
        assertThat(text).as("docs/config.md has the coverage markers").contains(CoverageMarkdown.BEGIN,
                CoverageMarkdown.END);
        String generated = CoverageMarkdown.replaceSection(text);
        if (Boolean.getBoolean("coverage.update")) {
            Files.writeString(CONFIG_MD, generated);
            return;
        }
        assertThat(text).as("docs/config.md's coverage section is generated from Coverage.java; regenerate with\n  "
                + REGENERATE + "\nand review the diff").isEqualTo(generated);
    }

    @Test
    void everyKindMeshlogReadsHasARow() {
        List<Class<?>> kinds = Coverage.KINDS.stream().<Class<?>>map(KindRow::type).toList();
        assertThat(kinds).containsExactlyInAnyOrder(MeshResource.class.getPermittedSubclasses());
    }

    @Test
    void rowsAreOnePerFieldAndBelongToATranslatedKind() {
        assertThat(Coverage.FIELDS.stream().map(FieldRow::id)).doesNotHaveDuplicates();
        for (FieldRow row : Coverage.FIELDS) {
            assertThat(Coverage.KINDS.stream().filter(k -> k.name().equals(row.kind())).findFirst())
                    .as(row.id()).hasValueSatisfying(k -> assertThat(k.translated()).isTrue());
        }
    }

    @Test
    void pathsMatchConcreteFieldsOnly() {
        FieldRow tls = row("DestinationRule {trafficPolicy}.tls.mode");
        assertThat(tls.matches("spec.trafficPolicy.tls.mode")).isTrue();
        assertThat(tls.matches("spec.subsets[3].trafficPolicy.portLevelSettings[0].tls.mode")).isTrue();
        assertThat(tls.matches("spec.trafficPolicy.tls.modex")).isFalse();
        assertThat(tls.matches("spec.subsets[].trafficPolicy.tls.mode")).isFalse();
        FieldRow claim = row("VirtualService spec.http[].match[].headers.* (a JWT claim)");
        assertThat(claim.matches("spec.http[0].match[12].headers.@request.auth.claims.group")).isTrue();
        assertThat(claim.matches("spec.http[0].match[12].headers")).isFalse();
    }

    private static FieldRow row(String id) {
        return Coverage.FIELDS.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }
}
