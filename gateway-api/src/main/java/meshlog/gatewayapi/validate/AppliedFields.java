package meshlog.gatewayapi.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.coverage.Coverage;
import meshlog.gatewayapi.coverage.FieldRow;

/**
 * Warns ({@code ML0011}) about every written field that {@link Coverage} says no proxy kind is given: the document
 * as the user wrote it (its JSON) is walked field by field, so a row added to the table is warned about without a
 * rule of its own. In a security kind such a field is an error instead ({@code ML0017}): a policy meshlog cannot
 * enforce is refused, never accepted as if it were in force.
 */
final class AppliedFields {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AppliedFields() {
    }

    static void report(String kind, Findings f) {
        List<FieldRow> warned = Coverage.fieldsOf(kind).stream().filter(FieldRow::warned).toList();
        if (warned.isEmpty()) {
            return;
        }
        JsonNode doc;
        try {
            doc = JSON.readTree(f.resource().json());
        } catch (IOException e) {
            throw new UncheckedIOException("the canonical JSON of a parsed document", e);
        }
        JsonNode spec = doc.path("spec");
        boolean security = Coverage.KINDS.stream().anyMatch(k -> k.name().equals(kind) && k.security());
        walk(spec, spec, "spec", warned, security, f);
    }

    private static void walk(JsonNode spec, JsonNode node, String path, List<FieldRow> warned, boolean security,
                             Findings f) {
        for (FieldRow row : warned) {
            if (row.matches(path) && row.when().test(spec, path, node)) {
                if (security) {
                    f.notEnforced(path, row);
                } else {
                    f.notTranslated(path);
                }
                return; // one finding per field, even when two rows say so
            }
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                walk(spec, e.getValue(), path + "." + e.getKey(), warned, security, f);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(spec, node.get(i), path + "[" + i + "]", warned, security, f);
            }
        }
    }
}
