package meshlog.gatewayapi.model;

/**
 * meshlog's own {@code kind: Cluster} ({@code apiVersion: meshlog.dev/v1alpha1}): a Kubernetes cluster whose proxies
 * this control plane serves. The cluster's name is {@code metadata.name}; proxies name it in {@code CLUSTER_ID}.
 *
 * @param network the Istio network the cluster is on (empty when not given)
 * @param locality {@code region/zone/subzone}, used for locality-aware load balancing
 * @param kubeconfig where the node that runs {@code meshlog up} finds the kubeconfig of this cluster's API server
 *                   (an absolute path on that machine; the credential itself never goes into git), or empty: then
 *                   the cluster is discovered only through {@code --kubeconfig} or {@code meshlog discovery}
 */
public record MeshCluster(ObjectMeta metadata, String network, String locality, String kubeconfig)
        implements MeshResource {
    public MeshCluster {
        network = network == null ? "" : network;
        locality = locality == null ? "" : locality;
        kubeconfig = kubeconfig == null ? "" : kubeconfig;
    }

    public MeshCluster(ObjectMeta metadata, String network, String locality) {
        this(metadata, network, locality, "");
    }

    @Override
    public String kind() {
        return "Cluster";
    }
}
