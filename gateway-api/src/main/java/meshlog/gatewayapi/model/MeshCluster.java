package meshlog.gatewayapi.model;

/**
 * meshlog's own {@code kind: Cluster} ({@code apiVersion: meshlog.dev/v1alpha1}): a Kubernetes cluster whose proxies
 * this control plane serves. The cluster's name is {@code metadata.name}; proxies name it in {@code CLUSTER_ID}.
 *
 * @param network the Istio network the cluster is on (empty when not given)
 * @param locality {@code region/zone/subzone}, used for locality-aware load balancing
 */
public record MeshCluster(ObjectMeta metadata, String network, String locality) implements MeshResource {
    public MeshCluster {
        network = network == null ? "" : network;
        locality = locality == null ? "" : locality;
    }

    @Override
    public String kind() {
        return "Cluster";
    }
}
