package meshlog.xds.proxy;

import com.google.protobuf.Struct;
import meshlog.configstore.scope.ProxyScope;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;

/**
 * Who a proxy says it is, read Istio-style from its xDS {@code Node}: id {@code sidecar~<ip>~<pod>.<ns>~<ns>.svc.cluster.local}
 * (proxyless gRPC clients may use any id) and metadata {@code CLUSTER_ID}, {@code NAMESPACE}, {@code SERVICE_ACCOUNT}.
 *
 * @param cluster the claimed {@code CLUSTER_ID}, or null when the proxy sent none
 * @param namespace {@code NAMESPACE}, else the namespace in an Istio sidecar id, else {@code default}
 * @param serviceAccount {@code SERVICE_ACCOUNT}, else {@code default}
 * @param peer the SPIFFE ID its verified client certificate proves ({@link #PEER}), or null on the plaintext port
 * @param secrets whether its stream may be served the SDS secrets ({@link #SECRETS})
 */
public record ProxyNode(String id, String cluster, String namespace, String serviceAccount, ProxyScope scope,
                        String peer, boolean secrets) {

    public static final String CLUSTER_ID = "CLUSTER_ID";
    public static final String NAMESPACE = "NAMESPACE";
    public static final String SERVICE_ACCOUNT = "SERVICE_ACCOUNT";
    public static final String GENERATOR = "GENERATOR";
    public static final String LABELS = "LABELS";
    public static final String INTERCEPTION_MODE = "INTERCEPTION_MODE";
    /**
     * Metadata only the distributor writes ({@code grpc.PeerMark}, over whatever a proxy sent under these keys), so
     * that java-control-plane's group function, which sees nothing but the node, knows how the stream was
     * authenticated: the client certificate's SPIFFE ID, and whether SDS secrets may be served.
     */
    public static final String PEER = "MESHLOG_PEER_SPIFFE_ID";
    public static final String SECRETS = "MESHLOG_SECRETS";
    public static final String SECRETS_SERVED = "served";
    static final String DEFAULT = "default";

    /** A proxy of the plaintext port, served no secrets. */
    public ProxyNode(String id, String cluster, String namespace, String serviceAccount, ProxyScope scope) {
        this(id, cluster, namespace, serviceAccount, scope, null, false);
    }

    public static ProxyNode of(Node node) {
        Struct metadata = node.getMetadata();
        String namespace = text(metadata, NAMESPACE);
        if (namespace == null) {
            namespace = namespaceInSidecarId(node.getId());
        }
        String serviceAccount = text(metadata, SERVICE_ACCOUNT);
        String ns = namespace == null ? DEFAULT : namespace;
        return new ProxyNode(node.getId(), text(metadata, CLUSTER_ID), ns,
                serviceAccount == null ? DEFAULT : serviceAccount, scope(node, ns), text(metadata, PEER),
                SECRETS_SERVED.equals(text(metadata, SECRETS)));
    }

    /**
     * The proxy's scope. A proxyless gRPC client says {@code GENERATOR: grpc}, as Istio's gRPC bootstrap does; a
     * client without it is taken for one unless it is Envoy ({@code user_agent_name: envoy}), so gRPC bootstraps
     * written before meshlog served Envoy keep working. A gRPC client's scope is its namespace's
     * ({@code grpc~<ns>}): short names like {@code reviews:9080} resolve in it. An Envoy sidecar's scope is its namespace and interception
     * mode ({@code INTERCEPTION_MODE: NONE}, else REDIRECT as istio-proxy's default) and workload {@code LABELS}.
     */
    static ProxyScope scope(Node node, String namespace) {
        String generator = text(node.getMetadata(), GENERATOR);
        if ("grpc".equals(generator) || !"envoy".equals(node.getUserAgentName())) {
            return ProxyScope.grpc(namespace);
        }
        String mode = text(node.getMetadata(), INTERCEPTION_MODE);
        ProxyScope.Interception interception = "NONE".equalsIgnoreCase(mode)
                ? ProxyScope.Interception.NONE : ProxyScope.Interception.REDIRECT;
        return ProxyScope.sidecar(namespace, labels(node.getMetadata()), interception);
    }

    /**
     * {@code LABELS}: the workload's labels, string values only. More than {@link ScopeRequest#MAX_LABELS} labels,
     * or one longer than Kubernetes allows, and the labels are not used (the proxy gets its namespace's scope).
     */
    static java.util.Map<String, String> labels(Struct metadata) {
        Value v = metadata.getFieldsMap().get(LABELS);
        if (v == null || v.getKindCase() != Value.KindCase.STRUCT_VALUE) {
            return java.util.Map.of();
        }
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        for (var e : v.getStructValue().getFieldsMap().entrySet()) {
            if (e.getValue().getKindCase() != Value.KindCase.STRING_VALUE || e.getKey().length() > 317
                    || e.getValue().getStringValue().length() > 63) {
                return java.util.Map.of();
            }
            out.put(e.getKey(), e.getValue().getStringValue());
        }
        return out.size() > meshlog.configstore.scope.ScopeRequest.MAX_LABELS ? java.util.Map.of() : out;
    }

    /** The snapshot group of an admitted proxy (one whose cluster is known). */
    public ProxyGroup group() {
        return new ProxyGroup(cluster == null ? "" : cluster, scope.id(), namespace, serviceAccount, secrets);
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
