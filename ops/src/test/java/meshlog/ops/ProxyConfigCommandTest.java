package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meshlog proxy-config} for proxyless gRPC clients (their scope is their namespace's) and gateways; a gateway's bootstrap. */
class ProxyConfigCommandTest {

    @TempDir
    Path tmp;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    Path config() throws Exception {
        Files.writeString(tmp.resolve("reviews.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: reviews, namespace: default}
                spec:
                  hosts: [reviews.default.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9080, name: grpc, protocol: GRPC}]
                  endpoints: [{address: 10.0.0.7, ports: {grpc: 9080}}]
                """);
        return tmp;
    }

    JsonNode grpcListeners(String namespace) throws Exception {
        assertThat(run("proxy-config", config().toString(), "--cluster", "east", "--mode", "grpc", "--node-id",
                "sidecar~10.1.0.4~app-1." + namespace + "~" + namespace + ".svc.cluster.local",
                "--type", "listeners", "-o", "json")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }

    static List<String> names(JsonNode result) {
        List<String> names = new ArrayList<>();
        result.path("listeners").forEach(l -> names.add(l.path("name").asText()));
        return names;
    }

    @Test
    void aGrpcClientOfTheServicesNamespaceIsShownItsScopeAndTheShortName() throws Exception {
        JsonNode result = grpcListeners("default");
        assertThat(result.path("scope").asText()).isEqualTo("grpc~default");
        assertThat(names(result)).containsExactly("reviews.default.svc.cluster.local:9080",
                "reviews.default.svc:9080", "reviews.default:9080", "reviews:9080");
    }

    @Test
    void aGrpcClientOfAnotherNamespaceIsShownItsOwnScopeWithoutTheShortName() throws Exception {
        JsonNode result = grpcListeners("shop");
        assertThat(result.path("scope").asText()).isEqualTo("grpc~shop");
        assertThat(names(result)).containsExactly("reviews.default.svc.cluster.local:9080",
                "reviews.default.svc:9080", "reviews.default:9080");
    }

    @Test
    void labelsAreRefusedForAGrpcClientWhoseScopeIsItsNamespace() throws Exception {
        assertThat(run("proxy-config", config().toString(), "--cluster", "east", "--mode", "grpc", "--node-id",
                "sidecar~10.1.0.4~app-1.default~default.svc.cluster.local", "--labels", "app=x")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).isEqualTo("meshlog: --labels and --interception"
                + " are for --mode sidecar; a proxyless gRPC client's scope is its namespace");
    }

    @Test
    void aSidecarIsShownItsSidecarScope() throws Exception {
        assertThat(run("proxy-config", config().toString(), "--cluster", "east", "--node-id",
                "sidecar~10.1.0.4~app-1.default~default.svc.cluster.local", "--interception", "NONE",
                "--type", "clusters", "-o", "json")).isZero();
        assertThat(new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).path("scope").asText())
                .matches("sidecar~default~NONE~[0-9a-f]{8}");
    }

    @Test
    void aRouterNodeIdIsShownTheGatewaysItsLabelsSelect() throws Exception {
        Files.writeString(config().resolve("gateway.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: public, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers: [{port: {number: 8080, name: http, protocol: HTTP}, hosts: ["*"]}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews, namespace: default}
                spec:
                  hosts: [reviews.example.com]
                  gateways: [istio-system/public]
                  http: [{route: [{destination: {host: reviews}}]}]
                """);
        String node = "router~10.1.0.9~istio-ingressgateway-1.istio-system~istio-system.svc.cluster.local";
        assertThat(run("proxy-config", tmp.toString(), "--cluster", "east", "--node-id", node, "--labels",
                "istio=ingressgateway", "--type", "routes", "-o", "json")).as(err.toString(StandardCharsets.UTF_8))
                .isZero();
        JsonNode result = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(result.path("scope").asText()).startsWith("router~istio-system~");
        assertThat(result.at("/routes/0/name").asText()).isEqualTo("http.8080");
        assertThat(result.at("/routes/0/virtualHosts/0/domains/0").asText()).isEqualTo("reviews.example.com");
    }

    @Test
    void bootstrapWritesAGatewaysNodeIdAndLabels() throws Exception {
        String node = "router~10.1.0.9~istio-ingressgateway-1.istio-system~istio-system.svc.cluster.local";
        assertThat(run("bootstrap", "--xds", "127.0.0.1:15010", "--cluster", "east", "--node-id", node,
                "--labels", "istio=ingressgateway", "--interception", "NONE"))
                .as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode bootstrap = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(bootstrap.at("/node/id").asText()).isEqualTo(node);
        assertThat(bootstrap.at("/node/metadata/NAMESPACE").asText()).isEqualTo("istio-system");
        assertThat(bootstrap.at("/node/metadata/LABELS/istio").asText()).isEqualTo("ingressgateway");
    }
}
