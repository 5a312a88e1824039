package meshlog.gatewayapi.parse;

import java.util.List;
import meshlog.gatewayapi.model.KubeGateway;
import meshlog.gatewayapi.model.MeshResource;
import meshlog.gatewayapi.model.ObjectMeta;

/** Every kind meshlog reads: its API group, the versions accepted, and the reader of its spec. */
final class Kinds {

    /** Reads the spec of one kind. */
    interface SpecReader {
        MeshResource read(ObjectMeta meta, Fields spec);
    }

    /**
     * @param label the kind as diagnostics name it (qualified where two groups share a kind name)
     * @param security an Istio field meshlog ignores is an error here, not a warning
     */
    record Kind(String group, List<String> versions, String kind, String label, boolean security,
                SpecReader reader) {
    }

    private static final List<String> NETWORKING = List.of("v1", "v1beta1", "v1alpha3");
    private static final List<String> SECURITY = List.of("v1", "v1beta1");
    private static final List<String> K8S_GATEWAY = List.of("v1", "v1beta1");

    static final List<Kind> ALL = List.of(
            networking("VirtualService", VirtualServiceReader::read),
            networking("DestinationRule", DestinationRuleReader::read),
            networking("Gateway", GatewayReader::read),
            networking("ServiceEntry", ServiceEntryReader::read),
            networking("WorkloadEntry", WorkloadEntryReader::read),
            networking("Sidecar", SidecarReader::read),
            security("PeerAuthentication", PeerAuthenticationReader::read),
            security("AuthorizationPolicy", AuthorizationPolicyReader::read),
            security("RequestAuthentication", RequestAuthenticationReader::read),
            new Kind("gateway.networking.k8s.io", K8S_GATEWAY, "Gateway", KubeGateway.QUALIFIED_KIND, false,
                    KubeGatewayReader::read),
            kube("HTTPRoute", KubeHttpRouteReader::read),
            kube("GRPCRoute", KubeGrpcRouteReader::read),
            kube("ReferenceGrant", KubeReferenceGrantReader::read),
            new Kind("", List.of("v1"), "Service", "Service", false, KubeServiceReader::read),
            new Kind("meshlog.dev", List.of("v1alpha1"), "Cluster", "Cluster", false, ClusterReader::read));

    private Kinds() {
    }

    /** Whether meshlog reads this kind in some other version of its group (so the version is a mistake). */
    static Kind otherVersion(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        return ALL.stream().filter(k -> k.group().equals(group) && k.kind().equals(kind)).findFirst().orElse(null);
    }

    /** The kind for an {@code apiVersion} and {@code kind}, or null when meshlog does not read it. */
    static Kind find(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        for (Kind k : ALL) {
            if (k.group().equals(group) && k.kind().equals(kind) && k.versions().contains(version)) {
                return k;
            }
        }
        return null;
    }

    private static Kind networking(String kind, SpecReader reader) {
        return new Kind("networking.istio.io", NETWORKING, kind, kind, false, reader);
    }

    private static Kind security(String kind, SpecReader reader) {
        return new Kind("security.istio.io", SECURITY, kind, kind, true, reader);
    }

    private static Kind kube(String kind, SpecReader reader) {
        return new Kind("gateway.networking.k8s.io", K8S_GATEWAY, kind, kind, false, reader);
    }
}
