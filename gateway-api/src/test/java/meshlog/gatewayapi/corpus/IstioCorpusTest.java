package meshlog.gatewayapi.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.Diagnostic;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Istio's own validation test data (copied unchanged under {@code src/test/resources/istio}, with its NOTICE and
 * license): every valid document is accepted, every invalid one rejected at the field its {@code _err} names.
 */
public class IstioCorpusTest {

    public static final List<String> KINDS = List.of("authz", "destinationrule", "peerauth", "reqauth", "serviceentry",
            "workloadentry");

    /** {@code _err} starting with a field path: {@code spec.x.y: Invalid value}, {@code spec.x in body ...}. */
    private static final Pattern ABSOLUTE_PATH = Pattern.compile("^(spec(?:[.\\[][A-Za-z0-9_\\]]+)*)(?::| in body)");
    /** {@code audiences[0] in body should be at least 1 chars long}: a path relative to some object. */
    private static final Pattern RELATIVE_PATH = Pattern.compile("^([A-Za-z][A-Za-z0-9]*(?:\\[\\d+])?) in body");

    static Stream<Arguments> validDocuments() throws IOException {
        return documents("-valid.yaml");
    }

    static Stream<Arguments> invalidDocuments() throws IOException {
        return documents("-invalid.yaml");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validDocuments")
    void istioAcceptsThisAndSoDoesMeshlog(String name, String document, String expectedError) {
        CompiledConfig c = ConfigCompiler.compile(Map.of(name, document.getBytes(StandardCharsets.UTF_8)));

        assertThat(c.resources()).as("objects read").hasSize(1);
        assertThat(IstioTable.validityErrors(c)).as("errors").isEmpty();
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("invalidDocuments")
    void istioRejectsThisAndSoDoesMeshlogAtTheSameField(String name, String document, String expectedError) {
        CompiledConfig c = ConfigCompiler.compile(Map.of(name, document.getBytes(StandardCharsets.UTF_8)));

        assertThat(c.errors()).as("errors").isNotEmpty();
        Matcher absolute = ABSOLUTE_PATH.matcher(expectedError);
        Matcher relative = RELATIVE_PATH.matcher(expectedError);
        if (absolute.find()) {
            String path = absolute.group(1);
            assertThat(c.errors()).as("an error at " + path).anySatisfy(d -> assertThat(d.path())
                    .matches(p -> p.equals(path) || p.startsWith(path + ".") || p.startsWith(path + "["), path));
        } else if (relative.find()) {
            String tail = relative.group(1);
            assertThat(c.errors()).as("an error at ..." + tail).extracting(Diagnostic::path)
                    .anySatisfy(p -> assertThat(p).matches(".*\\." + Pattern.quote(tail) + "(\\..*)?"));
        }
    }

    /** Each document of the corpus files with the given suffix, its {@code _err} line removed. */
    private static Stream<Arguments> documents(String suffix) throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String kind : KINDS) {
            String file = "istio/validation-crds/" + kind + suffix;
            String text = read(file);
            String[] docs = text.split("(?m)^---\\s*$");
            for (int i = 0; i < docs.length; i++) {
                Map<String, String> parts = splitError(docs[i]);
                String doc = parts.get("doc");
                if (doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                    continue;
                }
                out.add(Arguments.of(kind + suffix + "#" + i, doc, parts.get("err")));
            }
        }
        return out.stream();
    }

    private static Map<String, String> splitError(String doc) {
        StringBuilder rest = new StringBuilder();
        String err = "";
        for (String line : doc.split("\n", -1)) {
            if (line.startsWith("_err:")) {
                err = line.substring(5).trim().replaceAll("^['\"]|['\"]$", "");
                rest.append('\n'); // keeps every other line where Istio's file has it
            } else {
                rest.append(line).append('\n');
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put("doc", rest.toString());
        out.put("err", err);
        return out;
    }

    static String read(String resource) throws IOException {
        try (InputStream in = IstioCorpusTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
