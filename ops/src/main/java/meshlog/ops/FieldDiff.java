package meshlog.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Field-level differences of two JSON documents, as paths the validator uses ({@code spec.http[0].route[1].weight}):
 * objects key by key (sorted), lists index by index, anything else compared whole. Pure.
 */
final class FieldDiff {

    /** How many changes of one object are listed; the rest are counted. */
    static final int MAX_CHANGES = 50;

    /**
     * One changed field.
     *
     * @param op {@code added}, {@code removed} or {@code changed}
     * @param before the old value as compact JSON, null when added
     * @param after the new value as compact JSON, null when removed
     */
    record Change(String path, String op, String before, String after) {
    }

    private FieldDiff() {
    }

    /** The changes from {@code before} to {@code after}; null or missing documents count as absent. */
    static List<Change> of(JsonNode before, JsonNode after) {
        List<Change> out = new ArrayList<>();
        walk("", before == null ? MissingNode.getInstance() : before,
                after == null ? MissingNode.getInstance() : after, out);
        return out;
    }

    private static void walk(String path, JsonNode a, JsonNode b, List<Change> out) {
        if (a.isMissingNode() && b.isMissingNode()) {
            return;
        }
        if (a.isMissingNode()) {
            out.add(new Change(path, "added", null, b.toString()));
        } else if (b.isMissingNode()) {
            out.add(new Change(path, "removed", a.toString(), null));
        } else if (a.isObject() && b.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                walk(path.isEmpty() ? k : path + "." + k, a.path(k), b.path(k), out);
            }
        } else if (a.isArray() && b.isArray()) {
            for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                walk(path + "[" + i + "]", a.path(i), b.path(i), out);
            }
        } else if (!a.equals(b)) {
            out.add(new Change(path, "changed", a.toString(), b.toString()));
        }
    }
}
