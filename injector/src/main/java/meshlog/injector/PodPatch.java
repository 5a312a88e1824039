package meshlog.injector;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link Sidecar} as JSONPatch operations on the pod the admission request carries. Only {@code add}: an array or
 * map the pod lacks is added whole (a patch into a missing parent fails), otherwise each item is added into it.
 * istio-init goes first among the init containers, so the app's init containers already run captured, as in Istio.
 */
final class PodPatch {

    private static final ObjectMapper JSON = KubeJson.JSON;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PodPatch() {
    }

    static ArrayNode of(ObjectMeta meta, PodSpec spec, Sidecar sidecar) {
        ArrayNode ops = NODES.arrayNode();
        if (empty(spec.getInitContainers())) {
            add(ops, "/spec/initContainers", NODES.arrayNode().add(tree(sidecar.init())));
        } else {
            add(ops, "/spec/initContainers/0", tree(sidecar.init()));
        }
        add(ops, "/spec/containers/-", tree(sidecar.proxy()));
        if (empty(spec.getVolumes())) {
            ArrayNode all = NODES.arrayNode();
            sidecar.volumes().forEach(v -> all.add(tree(v)));
            add(ops, "/spec/volumes", all);
        } else {
            sidecar.volumes().forEach(v -> add(ops, "/spec/volumes/-", tree(v)));
        }
        map(ops, "/metadata/annotations", meta.getAnnotations(), sidecar.annotations());
        map(ops, "/metadata/labels", meta.getLabels(), sidecar.labels());
        return ops;
    }

    /** Sorted keys: the same pod gets the same patch bytes. */
    private static void map(ArrayNode ops, String path, Map<String, String> existing, Map<String, String> added) {
        Map<String, String> sorted = new TreeMap<>(added);
        if (existing == null || existing.isEmpty()) {
            ObjectNode all = NODES.objectNode();
            sorted.forEach(all::put);
            add(ops, path, all);
            return;
        }
        // RFC 6901: '~' and '/' in a key are escaped; "add" on a member that exists replaces it.
        sorted.forEach((k, v) -> add(ops, path + "/" + k.replace("~", "~0").replace("/", "~1"), NODES.stringNode(v)));
    }

    private static void add(ArrayNode ops, String path, JsonNode value) {
        ops.addObject().put("op", "add").put("path", path).set("value", value);
    }

    private static boolean empty(List<?> list) {
        return list == null || list.isEmpty();
    }

    private static JsonNode tree(Object kubernetesObject) {
        return JSON.valueToTree(kubernetesObject);
    }
}
