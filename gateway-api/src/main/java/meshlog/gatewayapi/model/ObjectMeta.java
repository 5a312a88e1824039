package meshlog.gatewayapi.model;

import java.util.Map;

/** The Kubernetes metadata users write; namespace defaults to {@code default} as kubectl would. */
public record ObjectMeta(String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {
    public ObjectMeta {
        namespace = namespace == null || namespace.isEmpty() ? "default" : namespace;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }
}
