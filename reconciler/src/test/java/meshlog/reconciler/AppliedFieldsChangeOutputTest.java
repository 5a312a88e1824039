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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import meshlog.configstore.scope.ProxyScope;
import meshlog.configstore.state.ConfigState;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.coverage.Applied;
import meshlog.gatewayapi.coverage.Coverage;
import meshlog.gatewayapi.coverage.FieldRow;
import meshlog.xdscheck.TypeUrls;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The coverage table's word, checked against the translators: for every field {@link Coverage} calls applied to a
 * proxy kind, {@code coverage/base.yaml} (which writes every such field) with that field's edit from
 * {@code coverage/mutations.yaml} is translated as the reconciler translates a scope of that proxy kind
 * ({@link SnapshotComputer}: config → IR → xDS), and the xDS type the edit names must differ from the base's. Envoy
 * sidecar: namespace {@code default}, labels {@code app=client}, in REDIRECT and in NONE mode, and an Envoy gateway
 * of {@code istio-system} with labels {@code istio=ingressgateway} (the Gateway rows); proxyless gRPC: scope
 * {@code grpc~default}. A row without an edit fails, an edit without a row fails, and so does an edit that leaves
 * its proxy kind's xDS as it was: a field cannot be called applied without a way to see it served.
 */
class AppliedFieldsChangeOutputTest {

    static final Path DIR = Path.of("src/test/resources/coverage");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final List<ProxyScope> ENVOY = List.of(
            ProxyScope.sidecar("default", Map.of("app", "client"), ProxyScope.Interception.REDIRECT),
            ProxyScope.sidecar("default", Map.of("app", "client"), ProxyScope.Interception.NONE),
            ProxyScope.router("istio-system", Map.of("istio", "ingressgateway")));
    static final List<ProxyScope> GRPC = List.of(ProxyScope.grpc("default"));
    static final Map<String, String> TYPES = Map.of(TypeUrls.LISTENER, "listeners", TypeUrls.ROUTE, "routes",
            TypeUrls.CLUSTER, "clusters", TypeUrls.ENDPOINT, "endpoints");

    static List<ObjectNode> base;
    static Map<String, Mutation> mutations;
    static Map<ProxyScope, Map<String, Map<String, String>>> baseXds;

    /**
     * One entry of mutations.yaml: in document {@code doc} ({@code Kind/name}), remove the fields {@code remove},
     * then set each field of {@code set} (dotted paths with list indexes; missing parents are created);
     * {@code changes} is the xDS type that must then differ for each proxy kind the row calls applied.
     */
    record Mutation(String row, String doc, List<String> remove, Map<String, JsonNode> set, String changes) {
        Mutation {
            remove = remove == null ? List.of() : remove;
            set = set == null ? Map.of() : set;
        }
    }

    @BeforeAll
    static void translateTheBase() throws IOException {
        base = new ArrayList<>();
        try (var parser = YAML.createParser(Files.readString(DIR.resolve("base.yaml")))) {
            YAML.readValues(parser, ObjectNode.class).forEachRemaining(base::add);
        }
        mutations = new LinkedHashMap<>();
        for (Mutation m : YAML.readValue(DIR.resolve("mutations.yaml").toFile(), Mutation[].class)) {
            assertThat(mutations.put(m.row(), m)).as("two edits for %s", m.row()).isNull();
        }
        ConfigState state = TestConfigs.state(text(base));
        baseXds = new LinkedHashMap<>();
        Stream.concat(ENVOY.stream(), GRPC.stream()).forEach(s -> baseXds.put(s, xds(state, s)));
    }

    static Stream<String> applied() {
        return Coverage.FIELDS.stream().filter(r -> r.envoy() == Applied.YES || r.grpc() == Applied.YES)
                .map(FieldRow::id);
    }

    @Test
    void everyFieldCalledAppliedHasAnEditAndEveryEditARow() {
        assertThat(mutations.keySet()).as("rows called applied; each needs an edit in mutations.yaml")
                .containsExactlyInAnyOrderElementsOf(applied().toList());
    }

    /** The base writes every applied field, and none that is not. */
    @Test
    void theBaseDrawsNoML0011() {
        assertThat(TestConfigs.compile(text(base)).warnings().stream().filter(d -> d.code().equals("ML0011"))
                .map(d -> d.resource() + " " + d.path())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("applied")
    void editingTheFieldChangesWhatItsProxyKindIsServed(String id) {
        FieldRow row = Coverage.FIELDS.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
        Mutation m = mutations.get(id);
        assertThat(m).as("no edit in mutations.yaml for %s", id).isNotNull();
        assertThat(TYPES.values()).as("changes: of %s", id).contains(m.changes());
        String text = text(edited(m));
        var compiled = TestConfigs.compile(text); // fails on an error
        // A row with a variant shares its path with a row that is not applied (a wildcard host): not checked here.
        List<String> warned = compiled.warnings().stream().filter(d -> d.code().equals("ML0011"))
                .map(Diagnostic::path).filter(p -> row.variant().isEmpty() && row.matches(p)).toList();
        assertThat(warned).as("ML0011 on a field the table calls applied").isEmpty();
        ConfigState state = TestConfigs.state(text);
        if (row.envoy() == Applied.YES) {
            assertThat(changed(state, ENVOY)).as("xDS types an Envoy sidecar is served differently after the edit"
                    + " of %s", id).contains(m.changes());
        }
        if (row.grpc() == Applied.YES) {
            assertThat(changed(state, GRPC)).as("xDS types a proxyless gRPC client is served differently after the"
                    + " edit of %s", id).contains(m.changes());
        }
    }

    /** The xDS types that differ from the base's in any of {@code scopes}. */
    private static Set<String> changed(ConfigState state, List<ProxyScope> scopes) {
        Set<String> out = new TreeSet<>();
        for (ProxyScope scope : scopes) {
            Map<String, Map<String, String>> now = xds(state, scope);
            TYPES.forEach((url, name) -> {
                if (!now.get(name).equals(baseXds.get(scope).get(name))) {
                    out.add(name);
                }
            });
        }
        return out;
    }

    /** What the reconciler publishes for {@code scope}: per xDS type, resource name → its bytes (as text). */
    private static Map<String, Map<String, String>> xds(ConfigState state, ProxyScope scope) {
        String cluster = SnapshotComputer.clusters(state, List.of("default")).get(0);
        Map<String, Map<String, byte[]>> resources = SnapshotComputer.computeWithNotes(state, cluster, scope,
                "coverage").snapshot().resources();
        Map<String, Map<String, String>> out = new TreeMap<>();
        TYPES.forEach((url, name) -> {
            Map<String, String> byName = new TreeMap<>();
            resources.getOrDefault(url, Map.of()).forEach((n, b) -> byName.put(n, Arrays.toString(b)));
            out.put(name, byName);
        });
        return out;
    }

    private static List<ObjectNode> edited(Mutation m) {
        List<ObjectNode> docs = new ArrayList<>();
        base.forEach(d -> docs.add(d.deepCopy()));
        ObjectNode target = docs.stream().filter(d -> (d.path("kind").asText() + "/"
                        + d.path("metadata").path("name").asText()).equals(m.doc())).findFirst()
                .orElseThrow(() -> new AssertionError("no document " + m.doc() + " in base.yaml"));
        m.remove().forEach(p -> edit(target, p, null));
        m.set().forEach((p, v) -> edit(target, p, v));
        return docs;
    }

    /** Sets (or, with a null value, removes) the field at a dotted path ({@code spec.http[0].match[0].uri}). */
    private static void edit(ObjectNode doc, String path, JsonNode value) {
        List<String> steps = new ArrayList<>(List.of(path.replace("[", ".[").split("\\.")));
        String last = steps.remove(steps.size() - 1);
        JsonNode node = doc;
        for (String step : steps) {
            node = step.startsWith("[") ? node.get(index(step))
                    : node.has(step) ? node.get(step) : ((ObjectNode) node).putObject(step);
            assertThat(node).as("%s of %s", step, path).isNotNull();
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

    private static String text(List<ObjectNode> docs) {
        StringBuilder sb = new StringBuilder();
        docs.forEach(d -> sb.append(d).append("\n---\n")); // JSON is YAML
        return sb.toString();
    }
}
