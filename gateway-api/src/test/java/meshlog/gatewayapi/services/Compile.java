package meshlog.gatewayapi.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.Diagnostic;

/** Compiles one YAML text and hands back the single object read, asserting it has no errors. */
final class Compile {

    private Compile() {
    }

    static CompiledConfig valid(String yaml) {
        CompiledConfig c = ConfigCompiler.compile(Map.of("test.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
        assertThat(c.errors()).as("errors").isEmpty();
        assertThat(c.resources()).hasSize(1);
        return c;
    }

    static <T> T only(CompiledConfig c, Class<T> type) {
        return type.cast(c.resources().get(0).resource());
    }

    /** The paths of the warnings with {@code code}. */
    static List<String> warningPaths(CompiledConfig c, String code) {
        return c.warnings().stream().filter(d -> d.code().equals(code)).map(Diagnostic::path).toList();
    }
}
