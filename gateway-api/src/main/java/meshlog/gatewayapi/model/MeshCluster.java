package meshlog.gatewayapi.model;

import java.util.List;
import meshlog.gatewayapi.ExportTo;

/**
 * meshlog's own {@code kind: Cluster} ({@code apiVersion: meshlog.dev/v1alpha1}): a Kubernetes cluster whose proxies
 * this control plane serves. The cluster's name is {@code metadata.name}; proxies name it in {@code CLUSTER_ID}.
 *
 * @param network the Istio network the cluster is on (empty when not given)
 * @param locality {@code region/zone/subzone}, used for locality-aware load balancing
 * @param kubeconfig where the node that runs {@code meshlog up} finds the kubeconfig of this cluster's API server
 *                   (an absolute path on that machine; the credential itself never goes into git), or empty: then
 *                   the cluster is discovered only through {@code --kubeconfig} or {@code meshlog discovery}
 * @param defaultServiceExportTo MeshConfig's field of that name for this cluster's proxies (each istiod of a
 *                               multi-cluster Istio has its own MeshConfig); empty: Istio's default, {@code *}
 * @param defaultVirtualServiceExportTo likewise
 * @param defaultDestinationRuleExportTo likewise
 */
public record MeshCluster(ObjectMeta metadata, String network, String locality, String kubeconfig,
                          List<String> defaultServiceExportTo, List<String> defaultVirtualServiceExportTo,
                          List<String> defaultDestinationRuleExportTo)
        implements MeshResource {
    public MeshCluster {
        network = network == null ? "" : network;
        locality = locality == null ? "" : locality;
        kubeconfig = kubeconfig == null ? "" : kubeconfig;
        defaultServiceExportTo = List.copyOf(defaultServiceExportTo);
        defaultVirtualServiceExportTo = List.copyOf(defaultVirtualServiceExportTo);
        defaultDestinationRuleExportTo = List.copyOf(defaultDestinationRuleExportTo);
    }

    /** A cluster with Istio's exportTo defaults. */
    public MeshCluster(ObjectMeta metadata, String network, String locality, String kubeconfig) {
        this(metadata, network, locality, kubeconfig, List.of(), List.of(), List.of());
    }

    public MeshCluster(ObjectMeta metadata, String network, String locality) {
        this(metadata, network, locality, "");
    }

    /** The defaults for objects without {@code exportTo} that this cluster's proxies see by. */
    public ExportTo.Defaults exportDefaults() {
        ExportTo.Defaults istio = ExportTo.Defaults.ISTIO;
        return new ExportTo.Defaults(
                defaultServiceExportTo.isEmpty() ? istio.service() : defaultServiceExportTo,
                defaultVirtualServiceExportTo.isEmpty() ? istio.virtualService() : defaultVirtualServiceExportTo,
                defaultDestinationRuleExportTo.isEmpty() ? istio.destinationRule() : defaultDestinationRuleExportTo);
    }

    @Override
    public String kind() {
        return "Cluster";
    }
}
