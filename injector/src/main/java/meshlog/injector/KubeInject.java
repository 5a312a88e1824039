package meshlog.injector;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import meshlog.configstore.LogSafe;

/**
 * {@code istioctl kube-inject} offline: the sidecar added to the pod (template) of each Pod, Deployment,
 * StatefulSet, DaemonSet, ReplicaSet, Job and CronJob in a multi-document YAML file (and in a {@code List}'s
 * items, as {@code kubectl get -o yaml} prints them), as if its namespace were labelled
 * {@code istio-injection=enabled} (the pod's own opt-out still counts). A document it leaves alone is printed as
 * it was written, byte for byte.
 */
public final class KubeInject {

    /** Where the pod template is, by kind. */
    static final Map<String, List<String>> TEMPLATES = Map.of(
            "Pod", List.of(),
            "Deployment", List.of("spec", "template"),
            "StatefulSet", List.of("spec", "template"),
            "DaemonSet", List.of("spec", "template"),
            "ReplicaSet", List.of("spec", "template"),
            "Job", List.of("spec", "template"),
            "CronJob", List.of("spec", "jobTemplate", "spec", "template"));
    private static final Pattern SEPARATOR = Pattern.compile("(?m)^---[ \\t]*(#.*)?$");
    private static final YAMLMapper YAML = KubeJson.YAML;

    /** The output, one note per workload (injected, or why not), and how many workloads were injected. */
    public record Result(String yaml, List<String> notes, int injected) {
    }

    private KubeInject() {
    }

    /**
     * @param source the file's name, for messages
     * @throws InjectionException naming the file, the document's line and the object, when a document is not YAML
     *                            or a selected pod's annotations cannot be honoured; nothing is printed then
     */
    public static Result inject(String text, String source, InjectionSettings settings) {
        List<String> out = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int start = 0;
        Matcher m = SEPARATOR.matcher(text);
        List<int[]> docs = new ArrayList<>();
        while (m.find()) {
            docs.add(new int[] {start, m.start()});
            start = m.end();
        }
        docs.add(new int[] {start, text.length()});
        for (int[] d : docs) {
            String doc = text.substring(d[0], d[1]);
            int first = d[0] + (doc.length() - doc.stripLeading().length());
            String where = source + ":" + (1 + count(text.substring(0, Math.min(first, text.length())), '\n'));
            String changed = document(doc, where, settings, notes);
            out.add(changed != null ? (d[0] == 0 ? "" : "\n") + changed : doc);
        }
        int injected = (int) notes.stream().filter(n -> n.endsWith(": injected")).count();
        return new Result(String.join("---", out), notes, injected);
    }

    /** The injected document as YAML, or null when it is left alone. */
    private static String document(String doc, String where, InjectionSettings settings, List<String> notes) {
        JsonNode root;
        try {
            root = YAML.readTree(doc);
        } catch (JacksonException e) {
            throw new InjectionException(where + ": not YAML: " + LogSafe.value(e.getOriginalMessage(), 200));
        }
        if (root == null || !root.isObject()) {
            return null;
        }
        boolean changed = false;
        if ("List".equals(root.path("kind").asString()) && root.path("items").isArray()) {
            // kubectl get -o yaml: the workloads are the list's items.
            for (JsonNode item : root.get("items")) {
                changed |= item.isObject() && workload((ObjectNode) item, where, settings, notes);
            }
        } else {
            changed = workload((ObjectNode) root, where, settings, notes);
        }
        try {
            return changed ? YAML.writeValueAsString(root) : null;
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Injects the pod template of {@code object} in place if it is a workload that gets a sidecar. */
    private static boolean workload(ObjectNode object, String where, InjectionSettings settings,
                                    List<String> notes) {
        List<String> path = TEMPLATES.get(object.path("kind").asString());
        if (path == null) {
            return false;
        }
        String namespace = object.path("metadata").path("namespace").asString("default");
        String name = where + ": " + object.path("kind").asString() + " " + namespace + "/"
                + object.path("metadata").path("name").asString("?");
        ObjectNode parent = object;
        for (int i = 0; i < path.size() - 1 && parent != null; i++) {
            parent = parent.path(path.get(i)).isObject() ? (ObjectNode) parent.get(path.get(i)) : null;
        }
        JsonNode node = path.isEmpty() ? object : parent == null ? null : parent.get(path.get(path.size() - 1));
        if (node == null || !node.isObject() || !node.path("spec").isObject()) {
            notes.add(name + ": no pod template" + (path.isEmpty() ? "" : " at " + String.join(".", path))
                    + ", left alone");
            return false;
        }
        JsonNode injected = template(node, namespace, name, path, settings, notes);
        if (injected == null) {
            return false;
        }
        if (path.isEmpty()) {
            object.set("metadata", injected.get("metadata"));
            object.set("spec", injected.get("spec"));
        } else {
            parent.set(path.get(path.size() - 1), injected);
        }
        return true;
    }

    /** The pod template with its sidecar, or null when it gets none; {@code name} prefixes every note. */
    private static JsonNode template(JsonNode node, String namespace, String name, List<String> path,
                                     InjectionSettings settings, List<String> notes) {
        PodTemplateSpec template;
        try {
            template = YAML.treeToValue(node, PodTemplateSpec.class);
        } catch (JacksonException e) {
            throw new InjectionException(name + ": " + (path.isEmpty() ? "" : String.join(".", path) + ": ")
                    + "not a pod template: " + LogSafe.value(e.getOriginalMessage(), 200));
        }
        ObjectMeta meta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        template.setMetadata(meta);
        Injector.Outcome o;
        try {
            o = Injector.plan(meta, template.getSpec(), namespace, Selection.NamespacePolicy.ENABLED, settings);
        } catch (InjectionException e) {
            throw new InjectionException(name + ": " + e.getMessage());
        }
        if (o instanceof Injector.Skipped s) {
            notes.add(name + ": not injected: " + s.reason());
            return null;
        } else if (o instanceof Injector.Planned p) {
            TemplateMutation.apply(meta, template.getSpec(), p.sidecar());
            p.sidecar().warnings().forEach(w -> notes.add(name + ": warning: " + w));
            notes.add(name + ": injected");
            return YAML.valueToTree(template);
        } else {
            throw new AssertionError(o);
        }
    }

    private static int count(String s, char c) {
        return (int) s.chars().filter(x -> x == c).count();
    }
}
