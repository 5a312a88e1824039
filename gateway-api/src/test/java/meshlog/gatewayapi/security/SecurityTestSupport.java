package meshlog.gatewayapi.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.model.MeshResource;

/** Compiles one security object and checks it is accepted with no finding beyond "not enforced yet". */
final class SecurityTestSupport {

    private SecurityTestSupport() {
    }

    static CompiledConfig compile(String yaml) {
        return ConfigCompiler.compile(Map.of("policy.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The only object of {@code yaml}, which must give no error and no warning but ML0012 (kinds not enforced yet;
     * an enforced kind gets none).
     */
    static <T extends MeshResource> T acceptedAs(Class<T> type, String yaml) {
        CompiledConfig c = compile(yaml);
        assertThat(c.errors()).as("errors").isEmpty();
        assertThat(c.warnings()).as("warnings").extracting(Diagnostic::code).isSubsetOf("ML0012");
        assertThat(c.resources()).hasSize(1);
        return type.cast(c.resources().get(0).resource());
    }

    /**
     * The only object of {@code yaml} as read, which may be refused only for fields meshlog cannot enforce
     * ({@code ML0017}): what the reader makes of every field, enforced or not.
     */
    static <T extends MeshResource> T readAs(Class<T> type, String yaml) {
        CompiledConfig c = compile(yaml);
        assertThat(c.errors()).as("errors").extracting(Diagnostic::code).isSubsetOf("ML0017");
        assertThat(c.resources()).hasSize(1);
        return type.cast(c.resources().get(0).resource());
    }
}
