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

    /** The Gateways the tests' routes attach to, in a file of their own so they can be told apart. */
    static final String PARENTS = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: edge}
            spec: {gatewayClassName: istio, listeners: [{name: http, port: 80, protocol: HTTP}]}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: edge, namespace: infra}
            spec: {gatewayClassName: istio, listeners: [{name: http, port: 80, protocol: HTTP}]}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: edge, namespace: grpc}
            spec: {gatewayClassName: istio, listeners: [{name: http, port: 80, protocol: HTTP}]}
            """;

    /** Routes are compiled with {@link #PARENTS} (in a file sorted after the test's own). */
    static CompiledConfig compile(String yaml) {
        byte[] bytes = yaml.getBytes(StandardCharsets.UTF_8);
        if (!java.util.regex.Pattern.compile("(?m)^kind: (HTTPRoute|GRPCRoute)").matcher(yaml).find()) {
            return ConfigCompiler.compile(Map.of("test.yaml", bytes));
        }
        return ConfigCompiler.compile(Map.of("test.yaml", bytes,
                "zz-parents.yaml", PARENTS.getBytes(StandardCharsets.UTF_8)));
    }

    /** The single object of {@code yaml}, asserting no errors and no warnings but "not applied" and unknown backends. */
    static <T extends MeshResource> T readClean(String yaml, Class<T> type) {
        CompiledConfig c = compile(yaml);
        assertThat(c.errors()).as("errors").isEmpty();
        // ML0012: not applied yet; XR0007: the backend Services live in the cluster, not in these tests.
        assertThat(c.warnings()).as("warnings").extracting(Diagnostic::code).isSubsetOf("ML0012", "XR0007");
        var own = c.resources().stream().filter(r -> r.file().equals("test.yaml")).toList();
        assertThat(own).hasSize(1);
        return type.cast(own.get(0).resource());
    }
}
