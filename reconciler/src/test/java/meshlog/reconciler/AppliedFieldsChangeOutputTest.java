package meshlog.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import meshlog.configstore.scope.ProxyScope;
import meshlog.configstore.state.ConfigState;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.coverage.Applied;
import meshlog.gatewayapi.coverage.Coverage;
import meshlog.gatewayapi.coverage.FieldRow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The coverage table's word, checked against the translators: for every field {@link Coverage} calls applied to a
 * proxy kind, {@code coverage/base.yaml} plus that field's mutation (below) changes the xDS translated for that proxy
 * kind (Envoy sidecar: an app=client sidecar in REDIRECT and NONE; proxyless gRPC: the gRPC scope), and the mutated
 * config draws no ML0011 on that field. A row without a mutation fails, so a field cannot be called applied
 * without a way to see it.
 */
class AppliedFieldsChangeOutputTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();
    static final ProxyScope SIDECAR = ProxyScope.sidecar("default", Map.of("app", "client"),
            ProxyScope.Interception.REDIRECT);
    static final String VS = "VirtualService/reviews";
    static final String H0 = "spec.http[0]";
    static final String M0 = H0 + ".match[0]";
    static final String DR = "DestinationRule/reviews";
    static final String TP = "spec.trafficPolicy";
    static final String PLS = TP + ".portLevelSettings[0].loadBalancer.consistentHash";
    static final String SC = "Sidecar/client";

    static final Map<String, List<Op>> MUTATIONS = new LinkedHashMap<>();

    static {
        vs("spec.hosts[]", set(VS, "spec.hosts[0]", "other.example.com"));
        vs("spec.gateways[] (`mesh`)", set(VS, "spec.gateways", "[ingress]"));
        vs("spec.http[].name", set(VS, H0 + ".name", "jasons"));
        vs("spec.http[].match[].uri", set(VS, M0 + ".uri", "{prefix: /apis}"));
        vs("spec.http[].match[].ignoreUriCase", set(VS, M0 + ".ignoreUriCase", "false"));
        vs("spec.http[].match[].headers", set(VS, M0 + ".headers.end-user", "{exact: mary}"));
        vs("spec.http[].match[].withoutHeaders", set(VS, M0 + ".withoutHeaders.x-skip", "{exact: \"2\"}"));
        vs("spec.http[].match[].method", set(VS, M0 + ".method", "{exact: POST}"));
        vs("spec.http[].match[].authority", set(VS, M0 + ".authority", "{prefix: ratings}"));
        vs("spec.http[].match[].scheme", set(VS, M0 + ".scheme", "{exact: https}"));
        vs("spec.http[].match[].queryParams", set(VS, "spec.http[1].match[0].queryParams.q", "{exact: b}"));
        vs("spec.http[].match[].port", set(VS, M0 + ".port", "9090"));
        vs("spec.http[].match[].gateways", set(VS, M0 + ".gateways", "[ingress]"));
        vs("spec.http[].match[].sourceLabels", set(VS, "spec.http[1].match[0].sourceLabels.app", "server"));
        vs("spec.http[].match[].sourceNamespace", set(VS, "spec.http[1].match[0].sourceNamespace", "prod"));
        vs("spec.http[].route[].destination.host", set(VS, "spec.http[5].route[0].destination",
                "{host: ratings}"));
        vs("spec.http[].route[].destination.subset", set(VS, "spec.http[5].route[0].destination.subset", "v2"));
        vs("spec.http[].route[].destination.port", set(VS, H0 + ".route[0].destination.port.number", "9090"));
        vs("spec.http[].route[].weight", set(VS, H0 + ".route[0].weight", "60"));
        vs("spec.http[].redirect.uri", set(VS, "spec.http[2].redirect.uri", "/newer"));
        vs("spec.http[].redirect.authority", set(VS, "spec.http[2].redirect.authority", "newer.example"));
        vs("spec.http[].redirect.port", set(VS, "spec.http[2].redirect.port", "8081"));
        vs("spec.http[].redirect.scheme", set(VS, "spec.http[2].redirect.scheme", "http"));
        vs("spec.http[].redirect.redirectCode", set(VS, "spec.http[2].redirect.redirectCode", "308"));
        vs("spec.http[].directResponse", set(VS, "spec.http[3].directResponse.status", "204"));
        vs("spec.http[].rewrite.uri", set(VS, "spec.http[4].rewrite.uri", "/v3"));
        vs("spec.http[].rewrite.authority", set(VS, "spec.http[4].rewrite.authority", "reviews-v3"));
        vs("spec.http[].rewrite.uriRegexRewrite", set(VS, "spec.http[4].rewrite",
                "{uriRegexRewrite: {match: ^/v1, rewrite: /v3}}"));
        vs("spec.http[].timeout", set(VS, H0 + ".timeout", "7s"));
        vs("spec.http[].retries.attempts", set(VS, H0 + ".retries.attempts", "1"));
        vs("spec.http[].retries.retryOn", set(VS, H0 + ".retries.retryOn", "5xx,cancelled"));
        vs("spec.http[].retries.perTryTimeout", set(VS, H0 + ".retries.perTryTimeout", "3s"));
        vs("spec.http[].fault.delay.fixedDelay", set(VS, H0 + ".fault.delay.fixedDelay", "2s"));
        vs("spec.http[].fault.delay.percentage", set(VS, H0 + ".fault.delay.percentage.value", "20"));
        vs("spec.http[].fault.abort.httpStatus", set(VS, H0 + ".fault.abort.httpStatus", "500"));
        vs("spec.http[].fault.abort.grpcStatus", set(VS, H0 + ".fault.abort",
                "{grpcStatus: UNAVAILABLE, percentage: {value: 5}}"));
        vs("spec.http[].fault.abort.percentage", set(VS, H0 + ".fault.abort.percentage.value", "6"));
        vs("spec.http[].mirror", set(VS, H0 + ".mirror", "{host: reviews, subset: v2}"));
        vs("spec.http[].mirrors", set(VS, "spec.http[1].mirrors[0].destination.subset", "v1"));
        vs("spec.http[].mirrorPercentage", set(VS, H0 + ".mirrorPercentage.value", "40"));
        vs("spec.http[].mirrorPercent", List.of(new Op(VS, H0 + ".mirrorPercentage", null),
                new Op(VS, H0 + ".mirrorPercent", "30")));
        vs("spec.http[].corsPolicy", set(VS, H0 + ".corsPolicy.allowMethods", "[GET, POST]"));
        vs("spec.http[].headers.request", set(VS, H0 + ".headers.request.set.x-a", "\"2\""));
        vs("spec.http[].headers.response", set(VS, H0 + ".headers.response.add.x-b", "\"3\""));
        String tcp = "spec.tcp[0]";
        put("VirtualService spec.tcp[].match[].destinationSubnets", set("VirtualService/db",
                tcp + ".match[0].destinationSubnets", "[10.96.0.21/32]"));
        put("VirtualService spec.tcp[].match[].sourceSubnet", set("VirtualService/db", tcp + ".match[0].sourceSubnet",
                "10.1.0.0/16"));
        put("VirtualService spec.tcp[].match[].port", set("VirtualService/db", tcp + ".match[0].port", "3307"));
        put("VirtualService spec.tcp[].route[].destination", set("VirtualService/db", tcp + ".route[0].destination",
                "{host: db.default.svc.cluster.local}"));
        put("VirtualService spec.tcp[].route[].weight", set("VirtualService/db", tcp + ".route[0].weight", "50"));
        String tls = "spec.tls[0]";
        put("VirtualService spec.tls[].match[].sniHosts", set("VirtualService/api", tls + ".match[0].sniHosts",
                "[web.example.com]"));
        put("VirtualService spec.tls[].match[].destinationSubnets", set("VirtualService/api",
                tls + ".match[0].destinationSubnets", "[10.96.0.31/32]"));
        put("VirtualService spec.tls[].route[].destination", set("VirtualService/api", tls + ".route[0].destination",
                "{host: www.example.com}"));

        dr("spec.host", set("DestinationRule/ratings", "spec.host", "other.example.com"));
        dr("spec.subsets[].name", set("DestinationRule/ratings", "spec.subsets[0].name", "v7"));
        dr("spec.subsets[].labels", set("DestinationRule/ratings", "spec.subsets[0].labels.version", "v7"));
        dr("{trafficPolicy}.loadBalancer.simple", set(DR, TP + ".loadBalancer.simple", "LEAST_REQUEST"));
        dr("{trafficPolicy}.loadBalancer.consistentHash.httpHeaderName", set(DR, PLS + ".httpHeaderName", "x-id"));
        dr("{trafficPolicy}.loadBalancer.consistentHash.httpCookie", set(DR, PLS,
                "{httpCookie: {name: session, ttl: 10s}}"));
        dr("{trafficPolicy}.loadBalancer.consistentHash.useSourceIp", set(DR, PLS, "{useSourceIp: true}"));
        dr("{trafficPolicy}.loadBalancer.consistentHash.httpQueryParameterName", set(DR, PLS,
                "{httpQueryParameterName: user}"));
        dr("{trafficPolicy}.loadBalancer.consistentHash.ringHash", set(DR, PLS + ".ringHash",
                "{minimumRingSize: 2048}"));
        dr("{trafficPolicy}.loadBalancer.consistentHash.maglev", set(DR, PLS + ".maglev", "{tableSize: 65537}"));
        dr("{trafficPolicy}.loadBalancer.consistentHash.minimumRingSize", set(DR, PLS + ".minimumRingSize", "4096"));
        String pool = TP + ".connectionPool";
        dr("{trafficPolicy}.connectionPool.tcp.maxConnections", set(DR, pool + ".tcp.maxConnections", "101"));
        dr("{trafficPolicy}.connectionPool.tcp.connectTimeout", set(DR, pool + ".tcp.connectTimeout", "2s"));
        dr("{trafficPolicy}.connectionPool.http.http1MaxPendingRequests", set(DR,
                pool + ".http.http1MaxPendingRequests", "11"));
        dr("{trafficPolicy}.connectionPool.http.http2MaxRequests", set(DR, pool + ".http.http2MaxRequests", "101"));
        dr("{trafficPolicy}.connectionPool.http.maxRequestsPerConnection", set(DR,
                pool + ".http.maxRequestsPerConnection", "6"));
        dr("{trafficPolicy}.connectionPool.http.maxRetries", set(DR, pool + ".http.maxRetries", "4"));
        dr("{trafficPolicy}.connectionPool.http.idleTimeout", set(DR, pool + ".http.idleTimeout", "61s"));
        String od = TP + ".outlierDetection";
        dr("{trafficPolicy}.outlierDetection.consecutive5xxErrors", set(DR, od + ".consecutive5xxErrors", "6"));
        put("DestinationRule {trafficPolicy}.outlierDetection.consecutiveErrors", List.of(
                new Op(DR, od + ".consecutive5xxErrors", null), new Op(DR, od + ".consecutiveErrors", "7")));
        dr("{trafficPolicy}.outlierDetection.consecutiveGatewayErrors", set(DR, od + ".consecutiveGatewayErrors",
                "4"));
        dr("{trafficPolicy}.outlierDetection.consecutiveLocalOriginFailures", set(DR,
                od + ".consecutiveLocalOriginFailures", "3"));
        dr("{trafficPolicy}.outlierDetection.interval", set(DR, od + ".interval", "11s"));
        dr("{trafficPolicy}.outlierDetection.baseEjectionTime", set(DR, od + ".baseEjectionTime", "31s"));
        dr("{trafficPolicy}.outlierDetection.maxEjectionPercent", set(DR, od + ".maxEjectionPercent", "51"));
        dr("{trafficPolicy}.outlierDetection.minHealthPercent", set(DR, od + ".minHealthPercent", "11"));
        dr("spec.trafficPolicy.portLevelSettings[].port", set(DR, TP + ".portLevelSettings[0].port.number", "9080"));

        String se = "ServiceEntry/reviews";
        put("ServiceEntry spec.hosts[]", set("ServiceEntry/other", "spec.hosts[0]", "other2.example.com"));
        put("ServiceEntry spec.addresses[] (an IP address)", set(se, "spec.addresses[0]", "10.96.0.11"));
        put("ServiceEntry spec.ports[].number", set("ServiceEntry/other", "spec.ports[0].number", "81"));
        put("ServiceEntry spec.ports[].name", List.of(new Op(se, "spec.ports[0].name", "http-admin"),
                new Op(se, "spec.ports[1].name", "http"))); // endpoint 0's port "http" now numbers 9090's
        put("ServiceEntry spec.ports[].protocol", set(se, "spec.ports[0].protocol", "HTTP2"));
        put("ServiceEntry spec.ports[].targetPort", set(se, "spec.ports[0].targetPort", "8090"));
        put("ServiceEntry spec.resolution", List.of(new Op("ServiceEntry/other", "spec.endpoints", null),
                new Op("ServiceEntry/other", "spec.resolution", "NONE")));
        put("ServiceEntry spec.endpoints[].address", set(se, "spec.endpoints[0].address", "10.0.0.3"));
        put("ServiceEntry spec.endpoints[].ports", set(se, "spec.endpoints[0].ports.http", "8082"));
        put("ServiceEntry spec.endpoints[].labels", set(se, "spec.endpoints[0].labels.version", "v3"));
        put("ServiceEntry spec.endpoints[].locality", set(se, "spec.endpoints[0].locality", "eu/zone-x"));
        put("ServiceEntry spec.endpoints[].weight", set(se, "spec.endpoints[0].weight", "5"));
        put("ServiceEntry spec.endpoints[].network", set(se, "spec.endpoints[0].network", "net-2"));
        put("ServiceEntry spec.workloadSelector", set("ServiceEntry/ratings", "spec.workloadSelector.labels.app",
                "nobody"));

        String we = "WorkloadEntry/ratings-1";
        put("WorkloadEntry spec.address", set(we, "spec.address", "10.0.1.2"));
        put("WorkloadEntry spec.ports", set(we, "spec.ports.http", "9082"));
        put("WorkloadEntry spec.labels", set(we, "spec.labels.version", "v2"));
        put("WorkloadEntry spec.locality", set(we, "spec.locality", "eu/zone-x"));
        put("WorkloadEntry spec.weight", set(we, "spec.weight", "4"));
        put("WorkloadEntry spec.network", set(we, "spec.network", "net-2"));

        put("Sidecar spec.workloadSelector", set(SC, "spec.workloadSelector.labels.app", "server"));
        put("Sidecar spec.egress[].hosts", set(SC, "spec.egress[1].hosts", "[./reviews.default.svc.cluster.local]"));
        put("Sidecar spec.egress[].port (a port number)", set(SC, "spec.egress[0].port.number", "9090"));
        put("Sidecar spec.outboundTrafficPolicy.mode", set(SC, "spec.outboundTrafficPolicy.mode", "REGISTRY_ONLY"));
        put("Sidecar spec.ingress[].port", set(SC, "spec.ingress[0].port.number", "8082"));
        put("Sidecar spec.ingress[].bind (an IP address)", set(SC, "spec.ingress[0].bind", "127.0.0.2"));
        put("Sidecar spec.ingress[].captureMode", set(SC, "spec.ingress[0].captureMode", "NONE"));
        put("Sidecar spec.ingress[].defaultEndpoint", set(SC, "spec.ingress[0].defaultEndpoint", "127.0.0.1:8083"));

        put("Cluster spec.network", set("Cluster/east", "spec.network", "net-2"));
        put("Cluster spec.locality", set("Cluster/east", "spec.locality", "us-west/zone-b"));
    }

    static List<ObjectNode> base;
    static Map<String, String> baseSidecar;
    static Map<String, String> baseGrpc;

    @BeforeAll
    static void translateTheBase() throws IOException {
        base = new ArrayList<>();
        try (var parser = YAML.createParser(Files.readString(Path.of("src/test/resources/coverage/base.yaml")))) {
            YAML.readValues(parser, ObjectNode.class).forEachRemaining(base::add);
        }
        ConfigState state = TestConfigs.state(text(base));
        baseSidecar = xds(SidecarGoldenTest.render(state, SIDECAR));
        baseGrpc = xds(GoldenTest.render(state));
    }

    static Stream<String> applied() {
        return Coverage.FIELDS.stream().filter(r -> r.envoy() == Applied.YES || r.grpc() == Applied.YES)
                .map(FieldRow::id);
    }

    @Test
    void everyFieldCalledAppliedHasAMutationAndEveryMutationARow() {
        assertThat(MUTATIONS.keySet()).as("rows called applied, each needs a mutation here")
                .containsExactlyInAnyOrderElementsOf(applied().toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("applied")
    void mutatingTheFieldChangesWhatItsProxyKindIsServed(String id) {
        FieldRow row = Coverage.FIELDS.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
        List<Op> ops = MUTATIONS.get(id);
        assertThat(ops).as("no mutation for %s", id).isNotNull();
        List<ObjectNode> docs = new ArrayList<>();
        base.forEach(d -> docs.add(d.deepCopy()));
        ops.forEach(op -> op.apply(docs));
        String text = text(docs);
        // A row with a variant shares its path with a row that is not applied (a wildcard host): not checked here.
        List<String> warned = TestConfigs.compile(text).warnings().stream()
                .filter(d -> d.code().equals("ML0011")).map(Diagnostic::path)
                .filter(p -> row.variant().isEmpty() && row.matches(p)).toList();
        assertThat(warned).as("ML0011 on a field the table calls applied").isEmpty();
        ConfigState state = TestConfigs.state(text);
        if (row.envoy() == Applied.YES) {
            assertThat(xds(SidecarGoldenTest.render(state, SIDECAR))).as("Envoy sidecar xDS after mutating " + id)
                    .isNotEqualTo(baseSidecar);
        }
        if (row.grpc() == Applied.YES) {
            assertThat(xds(GoldenTest.render(state))).as("proxyless gRPC xDS after mutating " + id)
                    .isNotEqualTo(baseGrpc);
        }
    }

    /** The xDS files of a rendering, without its notes and version. */
    private static Map<String, String> xds(Map<String, String> rendered) {
        Map<String, String> out = new TreeMap<>(rendered);
        out.keySet().removeIf(name -> !name.endsWith(".json"));
        return out;
    }

    private static String text(List<ObjectNode> docs) {
        StringBuilder sb = new StringBuilder();
        for (ObjectNode d : docs) {
            sb.append(d.toString()).append("\n---\n"); // JSON is YAML
        }
        return sb.toString();
    }

    private static void vs(String field, List<Op> ops) {
        put("VirtualService " + field, ops);
    }

    private static void dr(String field, List<Op> ops) {
        put("DestinationRule " + field, ops);
    }

    private static void put(String id, List<Op> ops) {
        if (MUTATIONS.put(id, ops) != null) {
            throw new IllegalStateException("two mutations for " + id);
        }
    }

    private static List<Op> set(String doc, String path, String yaml) {
        return List.of(new Op(doc, path, yaml));
    }

    /**
     * Sets (or, with a null value, removes) the field at {@code path} of the document {@code Kind/name}.
     * Paths are dotted with list indexes ({@code spec.http[0].match[0].uri}); missing parents are created.
     */
    record Op(String doc, String path, String yaml) {

        void apply(List<ObjectNode> docs) {
            ObjectNode target = docs.stream().filter(d -> (d.path("kind").asText() + "/"
                    + d.path("metadata").path("name").asText()).equals(doc)).findFirst()
                    .orElseThrow(() -> new AssertionError("no document " + doc + " in base.yaml"));
            List<String> steps = new ArrayList<>(List.of(path.replace("[", ".[").split("\\.")));
            String last = steps.remove(steps.size() - 1);
            JsonNode node = target;
            for (String step : steps) {
                node = step.startsWith("[") ? node.get(index(step))
                        : ((ObjectNode) node).has(step) ? node.get(step) : ((ObjectNode) node).putObject(step);
                assertThat(node).as("%s of %s", step, path).isNotNull();
            }
            JsonNode value;
            try {
                value = yaml == null ? null : YAML.readTree(yaml);
            } catch (IOException e) {
                throw new AssertionError("mutation value " + yaml, e);
            }
            if (last.startsWith("[")) {
                ((ArrayNode) node).set(index(last), value);
            } else if (value == null) {
                assertThat(((ObjectNode) node).remove(last)).as("removed %s", path).isNotNull();
            } else {
                ((ObjectNode) node).set(last, value);
            }
        }

        private static int index(String step) {
            return Integer.parseInt(step.substring(1, step.length() - 1));
        }
    }
}
