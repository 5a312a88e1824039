package meshlog.gatewayapi.parse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import meshlog.gatewayapi.parse.SourceNode.ListNode;
import meshlog.gatewayapi.parse.SourceNode.MapNode;
import meshlog.gatewayapi.parse.SourceNode.ScalarKind;
import meshlog.gatewayapi.parse.SourceNode.ScalarNode;

/**
 * Reads the fields of one YAML mapping into Java values, reporting wrong types with their field path, and at
 * {@link #end()} every field that was never read: Istio knows it but meshlog does not implement it (a warning, or an
 * error where ignoring it would be unsafe), or nobody knows it (an error).
 */
final class Fields {

    static final String WRONG_TYPE = "ML0005";
    static final String UNKNOWN_FIELD = "ML0003";
    static final String NOT_IMPLEMENTED = "ML0004";

    private final MapNode map;
    private final String path;
    private final DiagnosticSink sink;
    private final Set<String> read = new HashSet<>();
    private final Set<String> notImplemented = new HashSet<>();

    private Fields(MapNode map, String path, DiagnosticSink sink) {
        this.map = map;
        this.path = path;
        this.sink = sink;
    }

    /** The fields of {@code node}; a node that is not a mapping is reported and read as an empty one. */
    static Fields of(SourceNode node, String path, DiagnosticSink sink) {
        if (node instanceof MapNode m) {
            return new Fields(m, path, sink);
        }
        if (!(node instanceof ScalarNode s && s.kind() == ScalarKind.NULL)) {
            sink.error(WRONG_TYPE, node, path, "expected an object, got " + node.typeName());
        }
        return new Fields(new MapNode(Map.of(), Map.of(), node.line(), node.column()), path, sink);
    }

    String path() {
        return path;
    }

    SourceNode node() {
        return map;
    }

    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        SourceNode n = map.entries().get(key);
        return n != null && !(n instanceof ScalarNode s && s.kind() == ScalarKind.NULL);
    }

    /** The raw node of a field, or null; marks the field as read. */
    SourceNode raw(String key) {
        read.add(key);
        SourceNode n = map.entries().get(key);
        return n instanceof ScalarNode s && s.kind() == ScalarKind.NULL ? null : n;
    }

    String string(String key) {
        SourceNode n = raw(key);
        if (n == null) {
            return null;
        }
        return asString(n, pathOf(key));
    }

    Boolean bool(String key) {
        SourceNode n = raw(key);
        if (n == null) {
            return null;
        }
        if (n instanceof ScalarNode s && s.kind() == ScalarKind.BOOLEAN) {
            return Boolean.valueOf(s.text());
        }
        sink.error(WRONG_TYPE, n, pathOf(key), "expected true or false, got " + describe(n));
        return null;
    }

    /** A number field (integer or decimal), or null when absent or not a number (reported). */
    Double decimal(String key) {
        SourceNode n = raw(key);
        if (n == null) {
            return null;
        }
        if (n instanceof ScalarNode s && (s.kind() == ScalarKind.INTEGER || s.kind() == ScalarKind.FLOAT)) {
            try {
                return Double.valueOf(s.text());
            } catch (NumberFormatException e) {
                // falls through to the type error
            }
        }
        sink.error(WRONG_TYPE, n, pathOf(key), "expected a number, got " + describe(n));
        return null;
    }

    /** A 64-bit integer field (counts that Istio types as uint32/int64), or null when absent or not one. */
    Long longInteger(String key) {
        SourceNode n = raw(key);
        if (n == null) {
            return null;
        }
        if (n instanceof ScalarNode s && s.kind() == ScalarKind.INTEGER) {
            try {
                return Long.valueOf(s.text());
            } catch (NumberFormatException e) {
                sink.error(WRONG_TYPE, n, pathOf(key), "integer out of range: " + s.text());
                return null;
            }
        }
        sink.error(WRONG_TYPE, n, pathOf(key), "expected an integer, got " + describe(n));
        return null;
    }

    /**
     * A duration field in Go's form ({@code 1m30s}, {@code 0.5s}, {@code 100ms}); null when absent or unreadable
     * (reported). Range rules (at least 1 ms, whole ms) belong to validation.
     */
    java.time.Duration duration(String key) {
        String text = string(key);
        if (text == null) {
            return null;
        }
        java.time.Duration d = meshlog.gatewayapi.Durations.parse(text);
        if (d == null) {
            error(WRONG_TYPE, key, "must be a valid duration greater than 1ms (like 1.5s, 100ms or 1m), got \""
                    + text + "\"");
        }
        return d;
    }

    /** The keys of this mapping, in document order. */
    java.util.Set<String> keys() {
        return map.entries().keySet();
    }

    /** A mapping of user-chosen names to integers (a WorkloadEntry's {@code ports}); absent is empty. */
    Map<String, Integer> intMap(String key) {
        Map<String, Integer> out = new LinkedHashMap<>();
        Fields m = object(key);
        if (m == null) {
            return out;
        }
        for (String name : m.keys()) {
            Integer v = m.integer(name, null);
            if (v != null) {
                out.put(name, v);
            }
        }
        m.end();
        return out;
    }

    String asString(SourceNode n, String at) {
        if (n instanceof ScalarNode s && s.kind() == ScalarKind.STRING) {
            return s.text();
        }
        sink.error(WRONG_TYPE, n, at, "expected a string, got " + describe(n));
        return null;
    }

    /** An integer field, or {@code absent} when not given or not an integer (the latter is reported). */
    Integer integer(String key, Integer absent) {
        SourceNode n = raw(key);
        if (n == null) {
            return absent;
        }
        if (n instanceof ScalarNode s && s.kind() == ScalarKind.INTEGER) {
            try {
                return Integer.valueOf(s.text());
            } catch (NumberFormatException e) {
                sink.error(WRONG_TYPE, n, pathOf(key), "integer out of range: " + s.text());
                return absent;
            }
        }
        sink.error(WRONG_TYPE, n, pathOf(key), "expected an integer, got " + describe(n));
        return absent;
    }

    List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        List<SourceNode> items = list(key);
        for (int i = 0; i < items.size(); i++) {
            String s = asString(items.get(i), pathOf(key) + "[" + i + "]");
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    Map<String, String> stringMap(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        SourceNode n = raw(key);
        if (n == null) {
            return out;
        }
        if (!(n instanceof MapNode m)) {
            sink.error(WRONG_TYPE, n, pathOf(key), "expected an object, got " + describe(n));
            return out;
        }
        m.entries().forEach((k, v) -> {
            String s = asString(v, pathOf(key) + "." + k);
            if (s != null) {
                out.put(k, s);
            }
        });
        return out;
    }

    /** The items of a list field; absent is empty, anything but a list is reported. */
    List<SourceNode> list(String key) {
        SourceNode n = raw(key);
        if (n == null) {
            return List.of();
        }
        if (n instanceof ListNode l) {
            return l.items();
        }
        sink.error(WRONG_TYPE, n, pathOf(key), "expected a list, got " + describe(n));
        return List.of();
    }

    /** Reads each item of a list field as an object with {@code reader}, passing its indexed path. */
    <T> List<T> objects(String key, BiFunction<Fields, Integer, T> reader) {
        List<T> out = new ArrayList<>();
        List<SourceNode> items = list(key);
        for (int i = 0; i < items.size(); i++) {
            Fields item = Fields.of(items.get(i), pathOf(key) + "[" + i + "]", sink);
            T value = reader.apply(item, i);
            item.end();
            if (value != null) {
                out.add(value);
            }
        }
        return out;
    }

    /** The fields of a nested object; {@code null} when it is absent. The caller must call {@link #end()}. */
    Fields object(String key) {
        SourceNode n = raw(key);
        return n == null ? null : Fields.of(n, pathOf(key), sink);
    }

    /**
     * Fields Istio defines that meshlog does not implement yet: reported when present, as warnings, or as errors
     * in a security kind (see {@link DiagnosticSink#strict()}).
     */
    Fields notImplemented(String... keys) {
        notImplemented.addAll(List.of(keys));
        return this;
    }

    void error(String code, String key, String message) {
        SourceNode n = map.entries().get(key);
        int[] at = map.keyPositions().get(key);
        if (at != null) {
            sink.error(code, at[0], at[1], pathOf(key), message);
        } else {
            sink.error(code, n == null ? map : n, pathOf(key), message);
        }
    }

    void errorHere(String code, String message) {
        sink.error(code, map, path, message);
    }

    /** Reports the fields that were never read. */
    void end() {
        for (Map.Entry<String, int[]> e : map.keyPositions().entrySet()) {
            String key = e.getKey();
            if (read.contains(key)) {
                continue;
            }
            int[] at = e.getValue();
            if (notImplemented.contains(key) && sink.strict()) {
                sink.error(NOT_IMPLEMENTED, at[0], at[1], pathOf(key),
                        "not supported by meshlog yet; refused because ignoring a security field would weaken it");
            } else if (notImplemented.contains(key)) {
                sink.warning(NOT_IMPLEMENTED, at[0], at[1], pathOf(key),
                        "not supported by meshlog yet; this field is ignored");
            } else {
                sink.error(UNKNOWN_FIELD, at[0], at[1], pathOf(key), "unknown field \"" + key + "\"");
            }
        }
    }

    private static String describe(SourceNode n) {
        return n instanceof ScalarNode s ? s.typeName() + " " + s.text() : n.typeName();
    }
}
