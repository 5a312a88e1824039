package meshlog.reconciler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import meshlog.reconciler.ir.MeshIr;

/**
 * The IR a translator hands the xDS builders, as the golden file of the config → IR boundary: every record as a
 * JSON object of its components in declaration order (null components left out), tagged with {@code "kind"} (its
 * simple name) where it is one implementation of a sealed interface, so a {@code ListenerIr} shows which listener it is.
 * Maps are sorted by key; everything else prints as its {@code toString} ({@code Duration} as {@code PT7S}).
 */
final class IrJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private IrJson() {
    }

    static String render(MeshIr ir) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node(ir)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values", e);
        }
    }

    private static JsonNode node(Object value) {
        if (value == null) {
            return NODES.nullNode();
        } else if (value instanceof String s) {
            return NODES.textNode(s);
        } else if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        } else if (value instanceof Integer || value instanceof Long) {
            return NODES.numberNode(((Number) value).longValue());
        } else if (value instanceof Number n) {
            return NODES.numberNode(n.doubleValue());
        } else if (value instanceof Enum<?> e) {
            return NODES.textNode(e.name());
        } else if (value instanceof Optional<?> o) {
            return node(o.orElse(null));
        } else if (value instanceof Collection<?> c) {
            ArrayNode a = NODES.arrayNode();
            c.forEach(x -> a.add(node(x)));
            return a;
        } else if (value instanceof Map<?, ?> m) {
            ObjectNode o = NODES.objectNode();
            new TreeMap<String, Object>(m.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                    e -> String.valueOf(e.getKey()), e -> (Object) e.getValue()))).forEach((k, v) -> o.set(k, node(v)));
            return o;
        } else if (value instanceof Record r) {
            return record(r);
        }
        return NODES.textNode(value.toString());
    }

    private static ObjectNode record(Record r) {
        ObjectNode o = NODES.objectNode();
        if (java.util.Arrays.stream(r.getClass().getInterfaces()).anyMatch(Class::isSealed)) {
            o.put("kind", r.getClass().getSimpleName());
        }
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            try {
                c.getAccessor().setAccessible(true);
                Object v = c.getAccessor().invoke(r);
                if (v != null) {
                    o.set(c.getName(), node(v));
                }
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("reading " + r.getClass().getSimpleName() + "." + c.getName(), e);
            }
        }
        return o;
    }
}
