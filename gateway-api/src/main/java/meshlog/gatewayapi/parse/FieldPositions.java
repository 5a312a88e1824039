package meshlog.gatewayapi.parse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.parse.SourceNode.ListNode;
import meshlog.gatewayapi.parse.SourceNode.MapNode;

/** Every field path of a document with the position of its key (or, in a list, of its item). */
final class FieldPositions {

    private FieldPositions() {
    }

    static Map<String, int[]> of(SourceNode doc) {
        Map<String, int[]> out = new HashMap<>();
        walk(doc, "", out);
        return out;
    }

    private static void walk(SourceNode node, String path, Map<String, int[]> out) {
        if (node instanceof MapNode m) {
            m.entries().forEach((key, value) -> {
                String p = path.isEmpty() ? key : path + "." + key;
                out.put(p, m.keyPositions().get(key));
                walk(value, p, out);
            });
        } else if (node instanceof ListNode l) {
            List<SourceNode> items = l.items();
            for (int i = 0; i < items.size(); i++) {
                String p = path + "[" + i + "]";
                out.put(p, new int[] {items.get(i).line(), items.get(i).column()});
                walk(items.get(i), p, out);
            }
        }
    }
}
