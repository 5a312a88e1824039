package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.model.MeshResource;
import meshlog.reconciler.translate.MeshTranslator;
import meshlog.xdscheck.TypeUrls;
import meshlog.reconciler.xds.XdsJson;
import meshlog.reconciler.xds.XdsResources;
import meshlog.testkit.EnvoyBinary;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every listener and cluster the reconciler's golden cases (Istio's Bookinfo samples among them) give an Envoy sidecar (both interception modes, the
 * case's {@code sidecar.scope} if it has one), put into a bootstrap as static resources and checked by the real
 * Envoy 1.40 ({@code --mode validate}): the shapes no traffic test reaches (Unix-socket and port-override inbound
 * clusters, bound ingress listeners) are accepted too.
 */
class EnvoyAcceptsSidecarGoldensTest {

    static final Path GOLDEN = Path.of("../reconciler/src/test/resources/golden");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** The cases directly under {@link #GOLDEN} and in its groups ({@code bookinfo/<sample>}). */
    static Stream<String> cases() throws IOException {
        try (Stream<Path> dirs = Files.walk(GOLDEN, 2)) {
            return dirs.filter(d -> Files.exists(d.resolve("input.yaml")))
                    .map(d -> GOLDEN.relativize(d).toString()).sorted().toList().stream();
        }
    }

    /** A case's files as the reconciler's GoldenTest applies them: group fixture, {@code with.txt} cases, input. */
    static Map<String, byte[]> inputs(Path dir) throws IOException {
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        Path fixture = dir.getParent().resolve("fixture.yaml");
        if (!dir.getParent().equals(GOLDEN) && Files.exists(fixture)) {
            files.put("fixture.yaml", Files.readAllBytes(fixture));
        }
        Path with = dir.resolve("with.txt");
        for (String other : Files.exists(with) ? Files.readAllLines(with) : List.<String>of()) {
            if (!other.isBlank()) {
                files.put(other.strip() + ".yaml", Files.readAllBytes(dir.getParent().resolve(other.strip())
                        .resolve("input.yaml")));
            }
        }
        files.put("input.yaml", Files.readAllBytes(dir.resolve("input.yaml")));
        return files;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void envoyAcceptsTheSidecarListenersAndClusters(String name) throws Exception {
        Path envoy = EnvoyBinary.require();
        Path dir = GOLDEN.resolve(name);
        ConfigCompiler.CompiledConfig compiled = ConfigCompiler.compile(inputs(dir));
        assertThat(compiled.errors()).isEmpty();
        List<MeshResource> resources = compiled.resources().stream().map(p -> p.resource()).toList();
        for (ProxyScope.Interception mode : ProxyScope.Interception.values()) {
            ProxyScope scope = scope(dir.resolve("sidecar.scope"), mode);
            Map<String, Map<String, byte[]>> xds = XdsResources.build(MeshTranslator.translate(resources, "east",
                    scope));
            Path bootstrap = tmp.resolve(name.replace('/', '-') + "-" + mode + ".json");
            Files.writeString(bootstrap, bootstrap(xds));
            Process p = new ProcessBuilder(envoy.toString(), "--mode", "validate", "-c", bootstrap.toString(),
                    "--disable-hot-restart", "--log-level", "warn").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("%s %s: %s", name, mode, out).isZero();
        }
    }

    static ProxyScope scope(Path file, ProxyScope.Interception mode) throws IOException {
        String namespace = "default";
        Map<String, String> labels = new TreeMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("namespace:")) {
                    namespace = line.substring("namespace:".length()).trim();
                } else if (line.startsWith("labels:")) {
                    for (String kv : line.substring("labels:".length()).trim().split(",")) {
                        labels.put(kv.substring(0, kv.indexOf('=')).trim(), kv.substring(kv.indexOf('=') + 1).trim());
                    }
                }
            }
        }
        return ProxyScope.sidecar(namespace, labels, mode);
    }

    /** Listeners and clusters as static resources; ADS (for RDS and EDS) through a cluster nobody answers on. */
    static String bootstrap(Map<String, Map<String, byte[]>> xds) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("node").put("id", EnvoySidecar.NODE_ID).put("cluster", "client.demo");
        ObjectNode ads = root.putObject("dynamic_resources").putObject("ads_config");
        ads.put("api_type", "DELTA_GRPC").put("transport_api_version", "V3");
        ads.putArray("grpc_services").addObject().putObject("envoy_grpc").put("cluster_name", "xds-grpc");
        ObjectNode statics = root.putObject("static_resources");
        ArrayNode listeners = statics.putArray("listeners");
        for (byte[] bytes : xds.get(TypeUrls.LISTENER).values()) {
            listeners.add(JSON.readTree(XdsJson.print(TypeUrls.LISTENER, bytes)));
        }
        ArrayNode clusters = statics.putArray("clusters");
        for (byte[] bytes : xds.get(TypeUrls.CLUSTER).values()) {
            clusters.add(JSON.readTree(XdsJson.print(TypeUrls.CLUSTER, bytes)));
        }
        clusters.add(JSON.readTree("""
                {"name": "xds-grpc", "type": "STATIC", "connect_timeout": "1s",
                 "typed_extension_protocol_options": {"envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
                   "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                   "explicit_http_config": {"http2_protocol_options": {}}}},
                 "load_assignment": {"cluster_name": "xds-grpc", "endpoints": [{"lb_endpoints": [{"endpoint":
                   {"address": {"socket_address": {"address": "127.0.0.1", "port_value": 1}}}}]}]}}"""));
        root.putObject("admin").putObject("address").putObject("socket_address").put("address", "127.0.0.1")
                .put("port_value", 0);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }
}
