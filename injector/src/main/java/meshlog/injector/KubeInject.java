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
 * StatefulSet, DaemonSet, ReplicaSet, Job and CronJob in a multi-document YAML file, as if its namespace were
 * labelled {@code istio-injection=enabled} (the pod's own opt-out still counts). A document it leaves alone is
 * printed as it was written, byte for byte.
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

    /** The output, and one note per workload: injected, or why not. */
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
        int injected = 0;
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
            if (changed != null) {
                injected++;
            }
            out.add(changed != null ? (d[0] == 0 ? "" : "\n") + changed : doc);
        }
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
        if (root == null || !root.isObject() || !TEMPLATES.containsKey(root.path("kind").asString())) {
            return null;
        }
        String kind = root.path("kind").asString();
        String namespace = root.path("metadata").path("namespace").asString("default");
        String name = kind + " " + namespace + "/" + root.path("metadata").path("name").asString("?");
        ObjectNode parent = (ObjectNode) root;
        List<String> path = TEMPLATES.get(kind);
        for (int i = 0; i < path.size() - 1 && parent != null; i++) {
            parent = parent.path(path.get(i)).isObject() ? (ObjectNode) parent.get(path.get(i)) : null;
        }
        JsonNode templateNode = path.isEmpty() ? root : parent == null ? null : parent.get(path.get(path.size() - 1));
        if (templateNode == null || !templateNode.isObject()) {
            notes.add(where + ": " + name + ": no pod template at " + String.join(".", path) + ", left alone");
            return null;
        }
        PodTemplateSpec template;
        try {
            template = YAML.treeToValue(templateNode, PodTemplateSpec.class);
        } catch (JacksonException e) {
            throw new InjectionException(where + ": " + name + ": " + (path.isEmpty() ? "" : String.join(".", path)
                    + ": ") + "not a pod template: " + LogSafe.value(e.getOriginalMessage(), 200));
        }
        ObjectMeta meta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        template.setMetadata(meta);
        if (template.getSpec() == null) {
            notes.add(where + ": " + name + ": no pod spec, left alone");
            return null;
        }
        Injector.Outcome o;
        try {
            o = Injector.plan(meta, template.getSpec(), namespace, Selection.NamespacePolicy.ENABLED, settings);
        } catch (InjectionException e) {
            throw new InjectionException(where + ": " + name + ": " + e.getMessage());
        }
        if (o instanceof Injector.Skipped s) {
            notes.add(where + ": " + name + ": not injected: " + s.reason());
            return null;
        } else if (!(o instanceof Injector.Planned p)) {
            throw new AssertionError(o);
        } else {
            TemplateMutation.apply(meta, template.getSpec(), p.sidecar());
        }
        JsonNode injected = YAML.valueToTree(template);
        if (path.isEmpty()) {
            ((ObjectNode) root).set("metadata", injected.get("metadata"));
            ((ObjectNode) root).set("spec", injected.get("spec"));
        } else {
            parent.set(path.get(path.size() - 1), injected);
        }
        notes.add(where + ": " + name + ": injected");
        try {
            return YAML.writeValueAsString(root);
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int count(String s, char c) {
        return (int) s.chars().filter(x -> x == c).count();
    }
}
