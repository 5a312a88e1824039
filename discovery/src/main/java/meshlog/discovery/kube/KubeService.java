package meshlog.discovery.kube;

import java.util.List;
import java.util.Map;

/**
 * A Kubernetes Service as discovery reads it (the edge maps the API object to this; nothing here knows the client).
 *
 * @param type         {@code spec.type}: ClusterIP, NodePort, LoadBalancer or ExternalName
 * @param clusterIps   {@code spec.clusterIPs} (or {@code spec.clusterIP}); {@code None} for a headless service
 * @param externalName {@code spec.externalName}, or empty
 */
public record KubeService(String namespace, String name, String type, List<String> clusterIps, String externalName,
                          List<KubeServicePort> ports, Map<String, String> labels) {
    public KubeService {
        type = type == null || type.isEmpty() ? "ClusterIP" : type;
        clusterIps = List.copyOf(clusterIps);
        externalName = externalName == null ? "" : externalName;
        ports = List.copyOf(ports);
        labels = Map.copyOf(labels);
    }
}
