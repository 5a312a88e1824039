package meshlog.gatewayapi.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * meshlog's own table of bad config, one case per YAML document in {@code src/test/resources/invalid-cases/*.yaml}.
 * A case carries one or more comment lines {@code # expect: <error|warning> <CODE> <field path>}; each expected
 * diagnostic must be reported, and no error beyond the expected ones. Documents of a file without {@code # expect}
 * lines are context (the objects a case refers to) and are validated together with every case of that file.
 */
class InvalidCasesTest {

    record Expected(String severity, String code, String path) {
        static Expected parse(String line) {
            String[] parts = line.substring(line.indexOf("expect:") + 7).trim().split("\\s+", 3);
            return new Expected(parts[0], parts[1], parts.length > 2 ? parts[2] : "");
        }

        boolean matches(Diagnostic d) {
            return d.severity().name().equalsIgnoreCase(severity) && d.code().equals(code) && d.path().equals(path);
        }
    }

    static Stream<Arguments> cases() throws IOException, URISyntaxException {
        List<Arguments> out = new ArrayList<>();
        for (Path file : files()) {
            String[] docs = Files.readString(file).split("(?m)^---\\s*$");
            StringBuilder context = new StringBuilder();
            List<String[]> cases = new ArrayList<>();
            for (int i = 0; i < docs.length; i++) {
                if (docs[i].contains("# expect:")) {
                    cases.add(new String[] {String.valueOf(i), docs[i]});
                } else if (!docs[i].isBlank()) {
                    context.append("---\n").append(docs[i].strip()).append('\n');
                }
            }
            for (String[] c : cases) {
                List<Expected> expected = c[1].lines().filter(l -> l.trim().startsWith("# expect:"))
                        .map(Expected::parse).toList();
                String name = c[1].lines().filter(l -> l.trim().startsWith("# case:")).findFirst()
                        .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("document " + c[0]);
                out.add(Arguments.of(file.getFileName() + ": " + name, c[1].strip() + "\n" + context, expected));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsExactlyTheExpectedProblems(String name, String yaml, List<Expected> expected) {
        CompiledConfig c = ConfigCompiler.compile(Map.of("case.yaml", yaml.getBytes(StandardCharsets.UTF_8)));

        for (Expected e : expected) {
            assertThat(c.diagnostics()).as("expected %s %s at %s", e.severity(), e.code(), e.path())
                    .anyMatch(e::matches);
        }
        assertThat(IstioTable.validityErrors(c)).as("errors nobody expected")
                .allMatch(d -> expected.stream().anyMatch(e -> e.matches(d)));
    }

    @Test
    void thereAreAtLeast150Cases() throws Exception {
        assertThat(cases().count()).isGreaterThanOrEqualTo(150);
    }

    private static List<Path> files() throws IOException, URISyntaxException {
        Path dir = Path.of(InvalidCasesTest.class.getClassLoader().getResource("invalid-cases").toURI());
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
