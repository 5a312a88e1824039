package meshlog.gatewayapi.property;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.corpus.CorpusFiles;
import meshlog.gatewayapi.property.DocumentMutator.Kind;
import meshlog.gatewayapi.property.DocumentMutator.Mutation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever a valid document is damaged into, the parser and validator report; they never throw, and every report
 * points at a real place in the file.
 */
class MutatedConfigProperties {

    private static final List<String> SAMPLES = samples();

    @Property(tries = 1500)
    void damagedConfigIsReportedNeverThrown(@ForAll("damagedDocuments") String yaml) {
        byte[] bytes = yaml.getBytes(StandardCharsets.UTF_8);
        CompiledConfig c = ConfigCompiler.compile(Map.of("damaged.yaml", bytes));

        long lines = yaml.lines().count() + 1;
        for (Diagnostic d : c.diagnostics()) {
            assertThat(d.code()).matches("[A-Z]{2}[0-9]{4}");
            assertThat(d.file()).isEqualTo("damaged.yaml");
            assertThat(d.line()).isBetween(1, (int) lines);
            assertThat(d.column()).isPositive();
            assertThat(d.message()).isNotBlank();
        }
        assertThat(c.diagnostics()).as("the same input is judged the same way")
                .isEqualTo(ConfigCompiler.compile(Map.of("damaged.yaml", bytes)).diagnostics());
    }

    @Provide
    Arbitrary<String> damagedDocuments() {
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.of(Kind.class),
                Arbitraries.integers().between(0, 100_000), Arbitraries.integers().between(0, 100_000))
                .as(Mutation::new);
        return Combinators.combine(Arbitraries.of(SAMPLES), mutation.list().ofMinSize(1).ofMaxSize(4))
                .as(DocumentMutator::apply);
    }

    private static List<String> samples() {
        try {
            List<String> out = new ArrayList<>();
            List<String> files = new ArrayList<>(CorpusFiles.validSamples());
            files.addAll(CorpusFiles.invalidCases()); // meshlog's own cases cover every kind and most fields
            for (String file : files) {
                for (String doc : CorpusFiles.read(file).split("(?m)^---\\s*$")) {
                    if (!doc.isBlank()) {
                        out.add(doc);
                    }
                }
            }
            return out;
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
