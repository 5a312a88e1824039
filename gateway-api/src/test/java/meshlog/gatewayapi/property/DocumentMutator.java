package meshlog.gatewayapi.property;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Damages a valid YAML document the ways people and tools do: a field deleted, renamed or given a value of another
 * type, a line duplicated (a duplicate key), the text cut short.
 */
final class DocumentMutator {

    enum Kind { DELETE, RENAME, RETYPE, DUPLICATE_LINE, TRUNCATE }

    /** One mutation; {@code where} and {@code what} pick the spot and the replacement, modulo what exists. */
    record Mutation(Kind kind, int where, int what) {
    }

    private static final List<Object> VALUES = List.of("x", "", 42, -1, 0, 3.5, true, 99_999_999_999L,
            List.of(), Map.of(), List.of("a", 1), Map.of("exact", "a"), "*", "a".repeat(300), "1.5s",
            "\u00e9\u4e2d", List.of(Map.of()));

    private DocumentMutator() {
    }

    static String apply(String document, List<Mutation> mutations) {
        String text = document;
        for (Mutation m : mutations) {
            text = apply(text, m);
        }
        return text;
    }

    private static String apply(String text, Mutation m) {
        switch (m.kind()) {
            case DUPLICATE_LINE -> {
                String[] lines = text.split("\n", -1);
                int i = m.where() % lines.length;
                List<String> out = new ArrayList<>(List.of(lines));
                out.add(i, lines[i]);
                return String.join("\n", out);
            }
            case TRUNCATE -> {
                return text.substring(0, m.where() % (text.length() + 1));
            }
            default -> {
                Object tree;
                try {
                    tree = copyMutable(yaml().load(text));
                } catch (RuntimeException e) {
                    return text; // an earlier mutation broke the YAML: leave it broken
                }
                List<Slot> slots = new ArrayList<>();
                collect(tree, slots);
                if (slots.isEmpty()) {
                    return text;
                }
                slots.get(m.where() % slots.size()).change(m.kind(), VALUES.get(m.what() % VALUES.size()));
                return yaml().dump(tree);
            }
        }
    }

    /** A place in the tree that can be changed: an entry of a mapping or an item of a list. */
    private record Slot(Object container, Object key) {
        @SuppressWarnings("unchecked")
        void change(Kind kind, Object value) {
            if (container instanceof Map<?, ?> raw) {
                Map<Object, Object> map = (Map<Object, Object>) raw;
                switch (kind) {
                    case DELETE -> map.remove(key);
                    case RENAME -> map.put(key + "x", map.remove(key));
                    default -> map.put(key, value);
                }
            } else {
                List<Object> list = (List<Object>) container;
                int i = (Integer) key;
                if (kind == Kind.DELETE) {
                    list.remove(i);
                } else {
                    list.set(i, value);
                }
            }
        }
    }

    private static void collect(Object node, List<Slot> out) {
        if (node instanceof Map<?, ?> map) {
            for (Object k : new ArrayList<>(map.keySet())) {
                out.add(new Slot(map, k));
                collect(map.get(k), out);
            }
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                out.add(new Slot(list, i));
                collect(list.get(i), out);
            }
        }
    }

    private static Yaml yaml() {
        DumperOptions dump = new DumperOptions();
        dump.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        LoaderOptions load = new LoaderOptions();
        load.setAllowDuplicateKeys(true);
        return new Yaml(new SafeConstructor(load), new Representer(dump), dump, load);
    }

    /** SnakeYAML may hand out immutable collections for empty flows; make every level changeable. */
    private static Object copyMutable(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, copyMutable(v)));
            return out;
        }
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(copyMutable(v)));
            return out;
        }
        return node;
    }
}
