package meshlog.gatewayapi.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.parse.ConfigParser;
import meshlog.gatewayapi.parse.ParsedResource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The event log stores each object as the JSON of its document; a replay (an audit, a restart, a rollback) must read
 * back exactly the object that was validated, for every kind. Checked on every valid sample file.
 */
class LogRoundTripTest {

    static Stream<String> samples() {
        return CorpusFiles.validSamples().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void theJsonKeptInTheLogReadsBackToTheSameObject(String file) throws IOException {
        CompiledConfig c = ConfigCompiler.compile(Map.of(file, CorpusFiles.read(file)
                .getBytes(StandardCharsets.UTF_8)));

        assertThat(c.resources()).isNotEmpty();
        for (ParsedResource p : c.resources()) {
            var again = ConfigParser.parseJson(p.file(), p.json());
            assertThat(again.diagnostics()).filteredOn(Diagnostic::isError).isEmpty();
            assertThat(again.resources()).extracting(ParsedResource::resource).containsExactly(p.resource());
        }
    }
}
