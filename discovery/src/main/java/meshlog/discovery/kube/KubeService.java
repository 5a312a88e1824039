package meshlog.discovery.kube;

import java.util.List;
import java.util.Map;

/**
 * A Kubernetes Service as discovery reads it (the edge maps the API object to this; nothing here knows the client).
 *
 * @param type         {@code spec.type}: ClusterIP, NodePort, LoadBalancer or ExternalName
 * @param clusterIps   {@code spec.clusterIPs} (or {@code spec.clusterIP}); {@code None} for a headless service
 * @param externalName {@code spec.externalName}, or empty
 * @param exportTo     the {@code networking.istio.io/exportTo} annotation read by {@link #exportTo(String)}
 */
public record KubeService(String namespace, String name, String type, List<String> clusterIps, String externalName,
                          List<KubeServicePort> ports, Map<String, String> labels, List<String> exportTo) {
    public KubeService {
        exportTo = List.copyOf(exportTo);
        type = type == null || type.isEmpty() ? "ClusterIP" : type;
        clusterIps = List.copyOf(clusterIps);
        externalName = externalName == null ? "" : externalName;
        ports = List.copyOf(ports);
        labels = Map.copyOf(labels);
    }

    /** A Service without the {@code networking.istio.io/exportTo} annotation. */
    public KubeService(String namespace, String name, String type, List<String> clusterIps, String externalName,
                       List<KubeServicePort> ports, Map<String, String> labels) {
        this(namespace, name, type, clusterIps, externalName, ports, labels, List.of());
    }

    /** The annotation Istio reads a Service's visibility from. */
    public static final String EXPORT_TO_ANNOTATION = "networking.istio.io/exportTo";

    /** Entries kept of the annotation: a namespace list that long is a mistake, and the value is outside input. */
    static final int MAX_EXPORT_TO = 64;

    /**
     * The annotation's value as Istio reads it: split at commas, each entry trimmed ({@code .}, {@code *},
     * {@code ~} or a namespace name); empty entries, entries longer than a DNS name (253) and those past the
     * first {@value #MAX_EXPORT_TO} are dropped. Null or blank: none (the mesh default).
     */
    public static List<String> exportTo(String annotation) {
        if (annotation == null || annotation.isBlank()) {
            return List.of();
        }
        List<String> out = new java.util.ArrayList<>();
        for (String e : annotation.split(",", MAX_EXPORT_TO + 1)) {
            String entry = e.trim();
            if (!entry.isEmpty() && entry.length() <= 253 && out.size() < MAX_EXPORT_TO && !out.contains(entry)) {
                out.add(entry);
            }
        }
        return List.copyOf(out);
    }
}
