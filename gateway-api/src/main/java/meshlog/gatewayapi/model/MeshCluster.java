package meshlog.gatewayapi.model;

import java.util.List;
import meshlog.gatewayapi.ExportTo;

/**
 * meshlog's own {@code kind: Cluster} ({@code apiVersion: meshlog.dev/v1alpha1}): a Kubernetes cluster whose proxies
 * this control plane serves. The cluster's name is {@code metadata.name}; proxies name it in {@code CLUSTER_ID}.
 *
 * @param network the Istio network the cluster is on (empty when not given)
 * @param locality {@code region/zone/subzone}, used for locality-aware load balancing
 * @param defaultServiceExportTo MeshConfig's field of that name for this cluster's proxies (each istiod of a
 *                               multi-cluster Istio has its own MeshConfig); empty: Istio's default, {@code *}
 * @param defaultVirtualServiceExportTo likewise
 * @param defaultDestinationRuleExportTo likewise
 */
public record MeshCluster(ObjectMeta metadata, String network, String locality, List<String> defaultServiceExportTo,
                          List<String> defaultVirtualServiceExportTo, List<String> defaultDestinationRuleExportTo)
        implements MeshResource {
    public MeshCluster {
        network = network == null ? "" : network;
        locality = locality == null ? "" : locality;
        defaultServiceExportTo = List.copyOf(defaultServiceExportTo);
        defaultVirtualServiceExportTo = List.copyOf(defaultVirtualServiceExportTo);
        defaultDestinationRuleExportTo = List.copyOf(defaultDestinationRuleExportTo);
    }

    /** A cluster with Istio's exportTo defaults. */
    public MeshCluster(ObjectMeta metadata, String network, String locality) {
        this(metadata, network, locality, List.of(), List.of(), List.of());
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
