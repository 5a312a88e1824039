package meshlog.discovery.kube;

import java.util.List;

/** Everything discovery reads of one cluster at one moment: the informers' caches, copied. */
public record ClusterView(String cluster, List<KubeService> services, List<KubeEndpointSlice> slices,
                          List<KubePod> pods, List<KubeNode> nodes, List<KubeNamespace> namespaces) {
    public ClusterView {
        services = List.copyOf(services);
        slices = List.copyOf(slices);
        pods = List.copyOf(pods);
        nodes = List.copyOf(nodes);
        namespaces = List.copyOf(namespaces);
    }
}
