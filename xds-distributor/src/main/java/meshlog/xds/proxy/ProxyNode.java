package meshlog.xds.proxy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;

/**
 * Who a proxy says it is, read Istio-style from its xDS {@code Node}: id {@code sidecar~<ip>~<pod>.<ns>~<ns>.svc.cluster.local}
 * (proxyless gRPC clients may use any id) and metadata {@code CLUSTER_ID}, {@code NAMESPACE}, {@code SERVICE_ACCOUNT}.
 *
 * @param cluster the claimed {@code CLUSTER_ID}, or null when the proxy sent none
 * @param namespace {@code NAMESPACE}, else the namespace in an Istio sidecar id, else {@code default}
 * @param serviceAccount {@code SERVICE_ACCOUNT}, else {@code default}
 */
public record ProxyNode(String id, String cluster, String namespace, String serviceAccount) {

    public static final String CLUSTER_ID = "CLUSTER_ID";
    public static final String NAMESPACE = "NAMESPACE";
    public static final String SERVICE_ACCOUNT = "SERVICE_ACCOUNT";
    static final String DEFAULT = "default";

    public static ProxyNode of(Node node) {
        Struct metadata = node.getMetadata();
        String namespace = text(metadata, NAMESPACE);
        if (namespace == null) {
            namespace = namespaceInSidecarId(node.getId());
        }
        String serviceAccount = text(metadata, SERVICE_ACCOUNT);
        return new ProxyNode(node.getId(), text(metadata, CLUSTER_ID),
                namespace == null ? DEFAULT : namespace, serviceAccount == null ? DEFAULT : serviceAccount);
    }

    /** The snapshot group of an admitted proxy (one whose cluster is known). */
    public ProxyGroup group() {
        return new ProxyGroup(cluster == null ? "" : cluster, namespace, serviceAccount);
    }

    private static String text(Struct metadata, String key) {
        Value value = metadata.getFieldsMap().get(key);
        if (value == null || value.getKindCase() != Value.KindCase.STRING_VALUE || value.getStringValue().isBlank()) {
            return null;
        }
        return value.getStringValue().trim();
    }

    /** {@code sidecar~10.0.0.1~pod.ns~ns.svc.cluster.local} → {@code ns}; null for any other shape. */
    static String namespaceInSidecarId(String id) {
        String[] parts = id.split("~", -1);
        if (parts.length != 4) {
            return null;
        }
        int dot = parts[3].indexOf('.');
        String namespace = dot < 0 ? parts[3] : parts[3].substring(0, dot);
        return namespace.isBlank() ? null : namespace;
    }
}
