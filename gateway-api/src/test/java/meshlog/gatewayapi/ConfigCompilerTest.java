package meshlog.gatewayapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.model.DestinationRule;
import meshlog.gatewayapi.model.ServiceEntry;
import meshlog.gatewayapi.model.StringMatch;
import meshlog.gatewayapi.model.VirtualService;
import org.junit.jupiter.api.Test;

class ConfigCompilerTest {

    static final String SERVICE = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata:
              name: echo
              namespace: demo
            spec:
              hosts: [echo.demo.svc.cluster.local]
              location: MESH_INTERNAL
              resolution: STATIC
              ports:
              - number: 50051
                name: grpc
                protocol: GRPC
              endpoints:
              - address: 127.0.0.1
                ports: {grpc: 7001}
                labels: {version: v1}
                locality: us-east/zone-a
              - address: 127.0.0.1
                ports: {grpc: 7002}
                labels: {version: v2}
            ---
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata:
              name: echo
              namespace: demo
            spec:
              host: echo
              subsets:
              - name: v1
                labels: {version: v1}
              - name: v2
                labels: {version: v2}
            """;

    static String virtualService(int w1, int w2) {
        return """
                apiVersion: networking.istio.io/v1alpha3
                kind: VirtualService
                metadata:
                  name: echo
                  namespace: demo
                spec:
                  hosts: [echo]
                  http:
                  - match:
                    - uri: {prefix: /echo.Echo/}
                      headers:
                        end-user: {exact: jason}
                    route:
                    - destination: {host: echo, subset: v1}
                      weight: %d
                    - destination: {host: echo, subset: v2}
                      weight: %d
                """.formatted(w1, w2);
    }

    static CompiledConfig compile(String... nameAndContent) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < nameAndContent.length; i += 2) {
            files.put(nameAndContent[i], nameAndContent[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return ConfigCompiler.compile(files);
    }

    @Test
    void readsEveryKindOfTheWholePathWithNoDiagnostics() {
        CompiledConfig c = compile("svc.yaml", SERVICE, "vs.yaml", virtualService(80, 20));

        assertThat(c.diagnostics()).isEmpty();
        assertThat(c.resources()).extracting(p -> p.resource().key().toString()).containsExactly(
                "ServiceEntry demo/echo", "DestinationRule demo/echo", "VirtualService demo/echo");
        ServiceEntry se = (ServiceEntry) c.resources().get(0).resource();
        assertThat(se.endpoints().get(0).ports()).containsEntry("grpc", 7001);
        assertThat(se.endpoints().get(0).locality()).isEqualTo("us-east/zone-a");
        assertThat(((DestinationRule) c.resources().get(1).resource()).subsets()).hasSize(2);
        VirtualService vs = (VirtualService) c.resources().get(2).resource();
        assertThat(vs.http().get(0).match().get(0).uri()).isEqualTo(new StringMatch.Prefix("/echo.Echo/"));
        assertThat(vs.http().get(0).match().get(0).headers()).containsEntry("end-user",
                new StringMatch.Exact("jason"));
        assertThat(vs.http().get(0).route()).extracting(r -> r.weight()).containsExactly(80, 20);
        assertThat(c.resources().get(2).line()).isEqualTo(1);
        assertThat(c.resources().get(1).line()).isEqualTo(23);
    }

    @Test
    void negativeWeightNamesFileLineAndFieldPath() {
        CompiledConfig c = compile("svc.yaml", SERVICE, "routes.yaml", virtualService(-5, 20));

        assertThat(c.hasErrors()).isTrue();
        assertThat(c.errors()).extracting(Diagnostic::format).containsExactly(
                "routes.yaml:15:7: error [VS0101] VirtualService demo/echo spec.http[0].route[0].weight: "
                        + "must be >= 0, got -5");
    }

    @Test
    void routeToUndefinedSubsetIsAnError() {
        CompiledConfig c = compile("svc.yaml", SERVICE, "routes.yaml", virtualService(80, 20).replace("v2}", "v3}"));

        assertThat(c.errors()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("VS0105");
            assertThat(d.path()).isEqualTo("spec.http[0].route[1].destination.subset");
            assertThat(d.line()).as("the line of the subset itself").isEqualTo(16);
            assertThat(d.message()).contains("\"v3\"", "echo.demo.svc.cluster.local");
        });
    }

    @Test
    void unknownFieldIsAnErrorAtItsOwnLine() {
        CompiledConfig c = compile("svc.yaml", SERVICE.replace("  host: echo\n", "  host: echo\n  hots: x\n"));

        assertThat(c.errors()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("ML0003");
            assertThat(d.path()).isEqualTo("spec.hots");
            assertThat(d.line()).isEqualTo(30);
            assertThat(d.column()).isEqualTo(3);
            assertThat(d.resource()).isEqualTo("DestinationRule demo/echo");
        });
    }

    @Test
    void istioFieldsNotImplementedYetAreWarningsAndOtherKindsAreSkipped() {
        String vs = virtualService(80, 20).replace("    - uri: {prefix: /echo.Echo/}\n",
                "    - uri: {prefix: /echo.Echo/}\n      statPrefix: echo\n");
        String gateway = """
                apiVersion: telemetry.istio.io/v1
                kind: Telemetry
                metadata: {name: mesh-default}
                spec: {tracing: [{randomSamplingPercentage: 10}]}
                """;
        CompiledConfig c = compile("svc.yaml", SERVICE, "routes.yaml", vs, "gw.yaml", gateway);

        assertThat(c.hasErrors()).isFalse();
        assertThat(c.warnings()).extracting(Diagnostic::code, Diagnostic::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ML0007", ""),
                        org.assertj.core.groups.Tuple.tuple("ML0011", "spec.http[0].match[0].statPrefix"));
    }

    @Test
    void integersInAnyYamlFormReadAsKubernetesReadsThem() {
        CompiledConfig c = compile("svc.yaml", SERVICE.replace("number: 50051", "number: 0xC383")
                .replace("ports: {grpc: 7001}", "ports: {grpc: 7_001}"));

        assertThat(c.errors()).isEmpty();
        ServiceEntry se = (ServiceEntry) c.resources().get(0).resource();
        assertThat(se.ports().get(0).number()).isEqualTo(50051);
        assertThat(se.endpoints().get(0).ports()).containsEntry("grpc", 7001);
    }

    @Test
    void aKubernetesServiceKeptInTheRepositoryDefinesItsHost() {
        String service = """
                apiVersion: v1
                kind: Service
                metadata: {name: reviews, namespace: shop}
                spec:
                  selector: {app: reviews}
                  ports: [{port: 9080, name: http}]
                """;
        String route = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews, namespace: shop}
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination: {host: reviews}
                      weight: 90
                    - destination: {host: ratings}
                      weight: 10
                """;
        CompiledConfig c = compile("svc.yaml", service, "routes.yaml", route);

        assertThat(c.hasErrors()).isFalse();
        assertThat(c.warnings()).extracting(Diagnostic::code, Diagnostic::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple("XR0001", "spec.http[0].route[1].destination.host"));
    }

    @Test
    void aKnownKindUnderAVersionThatDoesNotExistIsAnErrorNotASkip() {
        CompiledConfig c = compile("svc.yaml", SERVICE.replace("networking.istio.io/v1beta1",
                "networking.istio.io/v2"));

        assertThat(c.errors()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("ML0007");
            assertThat(d.path()).isEqualTo("apiVersion");
            assertThat(d.message()).contains("networking.istio.io/v1");
        });
    }

    @Test
    void brokenYamlAndDuplicateKeysAreReportedWithTheirLine() {
        CompiledConfig broken = compile("bad.yaml", "apiVersion: v1\nkind: [unclosed\n");
        CompiledConfig dup = compile("dup.yaml", SERVICE.replace("  name: echo\n  namespace: demo\nspec:\n  hosts:",
                "  name: echo\n  name: echo2\n  namespace: demo\nspec:\n  hosts:"));

        assertThat(broken.errors()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("ML0001");
            assertThat(d.file()).isEqualTo("bad.yaml");
            assertThat(d.line()).isGreaterThanOrEqualTo(2);
        });
        assertThat(dup.errors()).extracting(Diagnostic::code, Diagnostic::line)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ML0002", 5));
    }

    @Test
    void wrongTypesAndMissingNameAreErrorsNotExceptions() {
        String bad = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {namespace: x}
                spec:
                  hosts: a.b
                  ports: [{number: "80", protocol: HTTP}]
                """;
        CompiledConfig c = compile("se.yaml", bad);

        assertThat(c.errors()).extracting(Diagnostic::code, Diagnostic::path).contains(
                org.assertj.core.groups.Tuple.tuple("ML0008", "metadata.name"),
                org.assertj.core.groups.Tuple.tuple("ML0005", "spec.hosts"),
                org.assertj.core.groups.Tuple.tuple("ML0005", "spec.ports[0].number"));
    }

    @Test
    void sameObjectDefinedTwiceAcrossFilesIsAnError() {
        CompiledConfig c = compile("a.yaml", SERVICE, "b.yaml", SERVICE);

        assertThat(c.errors()).extracting(Diagnostic::code).containsOnly("ML0009");
        assertThat(c.errors()).first().extracting(Diagnostic::message).asString().contains("a.yaml:");
    }

    @Test
    void aTrailingSeparatorAndCommentOnlyDocumentsAreNotConfig() {
        CompiledConfig c = compile("svc.yaml", "---\n# nothing here\n---\n" + SERVICE + "---\n");

        assertThat(c.diagnostics()).isEmpty();
        assertThat(c.resources()).hasSize(2);
    }

    @Test
    void yamlThatIsNoKubernetesObjectIsAWarningAndDotDirectoriesAreNotConfig() {
        CompiledConfig c = compile("values.yaml", "replicas: 3\nimage: echo\n");

        assertThat(c.hasErrors()).isFalse();
        assertThat(c.warnings()).extracting(Diagnostic::code).containsExactly("ML0010");
        CompiledConfig typo = compile("svc.yaml", SERVICE.replace("apiVersion: networking.istio.io/v1beta1",
                "apiVerison: networking.istio.io/v1beta1"));
        assertThat(typo.errors()).extracting(Diagnostic::code, Diagnostic::path).contains(
                org.assertj.core.groups.Tuple.tuple("ML0008", "apiVersion"));
        assertThat(ConfigCompiler.isConfigFile(".github/workflows/ci.yml")).isFalse();
        assertThat(ConfigCompiler.isConfigFile("mesh/.hidden/x.yaml")).isFalse();
        assertThat(ConfigCompiler.isConfigFile("mesh/routes.yml")).isTrue();
        assertThat(ConfigCompiler.isConfigFile("./mesh/routes.yaml")).isTrue();
        assertThat(ConfigCompiler.isConfigFile("mesh/README.md")).isFalse();
    }

    @Test
    void allWeightsZeroWithSeveralDestinationsIsAnError() {
        CompiledConfig c = compile("svc.yaml", SERVICE, "routes.yaml", virtualService(0, 0));

        assertThat(c.errors()).extracting(Diagnostic::code).containsExactly("VS0104");
    }

    @Test
    void documentJsonReadsBackToTheSameObject() {
        CompiledConfig c = compile("svc.yaml", SERVICE, "routes.yaml", virtualService(80, 20));

        for (var p : c.resources()) {
            var again = meshlog.gatewayapi.parse.ConfigParser.parseJson(p.file(), p.json());
            assertThat(again.diagnostics()).isEmpty();
            assertThat(again.resources()).extracting(r -> r.resource()).containsExactly(p.resource());
        }
        assertThat(c.resources()).filteredOn(p -> p.resource() instanceof ServiceEntry).singleElement()
                .extracting(p -> p.json()).asString().contains("\"number\":50051");
    }
}
