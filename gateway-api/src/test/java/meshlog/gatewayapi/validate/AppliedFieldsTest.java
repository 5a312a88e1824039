package meshlog.gatewayapi.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.Diagnostic;
import org.junit.jupiter.api.Test;

/** The warnings the coverage table gives, as a user reads them: file, line, column, object and field path. */
class AppliedFieldsTest {

    static final String ROUTES = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: root, namespace: shop}
            spec:
              hosts: [reviews, "*.example.com"]
              exportTo: ["."]
              http:
              - name: team
                delegate: {name: team}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: team, namespace: shop}
            spec:
              exportTo: ["."]
              http:
              - route: [{destination: {host: reviews}}]
                retries:
                  attempts: 2
                  backoff: 1s
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: ingress, namespace: shop}
            spec:
              selector: {istio: ingressgateway}
              servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
            """;

    @Test
    void notAppliedFieldsAndKindsAreWarnedAtTheirLineAndPath() {
        var compiled = ConfigCompiler.compile(Map.of("routes/shop.yaml", ROUTES.getBytes(StandardCharsets.UTF_8)));

        // Both exportTo are applied: a delegate's (team) says which roots may use it, a host's (root) which
        // namespaces' sidecars it routes.
        assertThat(compiled.warnings().stream().filter(d -> d.code().startsWith("ML001")).map(Diagnostic::format))
                .containsExactly(
                        "routes/shop.yaml:5:20: warning [ML0011] VirtualService shop/root spec.hosts[1]: valid, but"
                                + " meshlog does not apply this field to proxies yet",
                        "routes/shop.yaml:20:7: warning [ML0011] VirtualService shop/team"
                                + " spec.http[0].retries.backoff: valid, but meshlog does not apply this field to"
                                + " proxies yet");
    }
}
