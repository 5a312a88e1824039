package meshlog.gatewayapi.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.model.MeshResource;

/** Compiles Gateway API YAML for the tests of this package. */
final class KubeYaml {

    private KubeYaml() {
    }

    static CompiledConfig compile(String yaml) {
        return ConfigCompiler.compile(Map.of("test.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
    }

    /** The single object of {@code yaml}, asserting it has no errors and no warnings but "not applied" (ML0012). */
    static <T extends MeshResource> T readClean(String yaml, Class<T> type) {
        CompiledConfig c = compile(yaml);
        assertThat(c.errors()).as("errors").isEmpty();
        assertThat(c.warnings()).as("warnings").extracting(Diagnostic::code).containsOnly("ML0012");
        assertThat(c.resources()).hasSize(1);
        return type.cast(c.resources().get(0).resource());
    }
}
