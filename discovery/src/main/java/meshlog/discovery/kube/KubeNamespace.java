package meshlog.discovery.kube;

import java.util.Map;

/** A Namespace: its {@code topology.istio.io/network} label is the network of its pods that name none. */
public record KubeNamespace(String name, Map<String, String> labels) {
    public KubeNamespace {
        labels = Map.copyOf(labels);
    }
}
