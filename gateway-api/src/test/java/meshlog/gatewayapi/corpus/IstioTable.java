package meshlog.gatewayapi.corpus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.Diagnostic;

/**
 * The cases of Istio's validation unit tests ({@code pkg/config/validation/validation_test.go}), written as YAML in
 * {@code src/test/resources/istio-table/*.yaml}. A file names the kind its cases are of and the objects they may
 * refer to ({@code context}) and the Istio tests that check errors only ({@code warningsUnchecked}); a case names
 * the Istio test function and case, the spec, and Istio's verdict. A case
 * where meshlog differs on purpose says why ({@code meshlogDiffers}) and what meshlog does instead ({@code meshlog}).
 */
final class IstioTable {

    /** Warnings that say what meshlog does not apply or cannot see, not what is wrong with the object. */
    static final Set<String> INFORMATIONAL = Set.of("ML0011", "ML0012", "XR0001", "XR0004", "XR0007");

    /**
     * The errors that say an object is invalid, as Istio's validation would: all but {@code ML0017}, meshlog's
     * refusal of a valid security field it cannot enforce (a verdict on meshlog, not on the object).
     */
    static List<Diagnostic> validityErrors(CompiledConfig c) {
        return c.errors().stream().filter(d -> !d.code().equals("ML0017")).toList();
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Istio's verdict of a case, or meshlog's: refused, accepted with a warning, accepted. */
    enum Verdict {
        VALID, WARNING, INVALID;

        static Verdict parse(String s) {
            return valueOf(s.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** One case: where it is from, the documents to compile, and what Istio (and meshlog, if it differs) says. */
    record Case(String file, String test, String name, String yaml, Verdict istio, boolean warningsChecked,
                String code, String differs, Verdict meshlog) {

        /** The verdict meshlog must reach: Istio's, or the documented one where meshlog differs on purpose. */
        Verdict expected() {
            return differs == null ? istio : meshlog;
        }

        @Override
        public String toString() {
            return file + ": " + test + " / " + name;
        }
    }

    private IstioTable() {
    }

    /**
     * Whether meshlog's diagnostics of compiled config match a verdict: an error refuses it; else a warning that is
     * not merely informational (with the given code, if any) is "warning"; else it is valid. Where Istio's test checks
     * only errors ({@code warningsUnchecked} in the file), "valid" allows warnings.
     */
    static boolean holds(Verdict expected, boolean warningsChecked, String code, CompiledConfig c) {
        List<Diagnostic> errors = validityErrors(c);
        List<Diagnostic> warnings = c.warnings().stream().filter(d -> !INFORMATIONAL.contains(d.code())).toList();
        return switch (expected) {
            case INVALID -> !errors.isEmpty() && (code == null || errors.stream().anyMatch(d -> d.code().equals(code)));
            case WARNING -> errors.isEmpty() && (code == null ? !warnings.isEmpty()
                    : warnings.stream().anyMatch(d -> d.code().equals(code)));
            case VALID -> errors.isEmpty() && (!warningsChecked || warnings.isEmpty());
        };
    }

    static List<Case> cases() throws IOException, URISyntaxException {
        Path dir = Path.of(IstioTable.class.getClassLoader().getResource("istio-table").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        List<Case> out = new ArrayList<>();
        for (Path file : files) {
            Map<String, Object> table = YAML.readValue(file.toFile(), Map.class);
            for (Object c : (List<?>) table.get("cases")) {
                out.add(read(file.getFileName().toString(), table, (Map<String, Object>) c));
            }
        }
        return out;
    }

    private static Case read(String file, Map<String, Object> table, Map<String, Object> c) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", c.getOrDefault("apiVersion", table.get("apiVersion")));
        doc.put("kind", c.getOrDefault("kind", table.get("kind")));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", "foo");
        metadata.put("namespace", "bar");
        if (c.get("metadata") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> metadata.put((String) k, v));
        }
        doc.put("metadata", metadata);
        doc.put("spec", c.getOrDefault("spec", Map.of()));
        StringBuilder yaml = new StringBuilder(YAML.writeValueAsString(doc));
        for (Object context : new Object[] {table.get("context"), c.get("context")}) {
            if (context instanceof String s && !s.isBlank()) {
                yaml.append("---\n").append(s);
            }
        }
        String differs = (String) c.get("meshlogDiffers");
        Verdict meshlog = c.get("meshlog") == null ? null : Verdict.parse((String) c.get("meshlog"));
        if ((differs == null) != (meshlog == null)) {
            throw new IllegalArgumentException(file + " " + c.get("name") + ": meshlogDiffers and meshlog go together");
        }
        List<?> unchecked = (List<?>) table.getOrDefault("warningsUnchecked", List.of());
        return new Case(file, (String) c.get("test"), (String) c.get("name"), yaml.toString(),
                Verdict.parse((String) c.get("istio")), !unchecked.contains(c.get("test")), (String) c.get("code"),
                differs, meshlog);
    }
}
