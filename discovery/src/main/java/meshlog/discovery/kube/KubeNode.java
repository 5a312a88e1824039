package meshlog.discovery.kube;

import java.util.Map;

/** A Node: its topology labels give the locality of the endpoints on it. */
public record KubeNode(String name, Map<String, String> labels) {
    public KubeNode {
        labels = Map.copyOf(labels);
    }
}
