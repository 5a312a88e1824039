package meshlog.reconciler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.reconciler.xds.XdsJson;

/** Published resource bytes back to protobuf JSON, sorted by name: the golden files' form. */
final class ProtoJson {

    private ProtoJson() {
    }

    static com.google.protobuf.Message parse(String typeUrl, byte[] bytes) {
        return XdsJson.parse(typeUrl, bytes);
    }

    /** A JSON array of the resources of one type, by name. */
    static String render(String typeUrl, Map<String, byte[]> byName) {
        List<String> items = new ArrayList<>();
        new TreeMap<>(byName).forEach((name, bytes) ->
                items.add("  " + XdsJson.print(typeUrl, bytes).replace("\n", "\n  ")));
        return items.isEmpty() ? "[]\n" : "[\n" + String.join(",\n", items) + "\n]\n";
    }
}
