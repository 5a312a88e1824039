package meshlog.gatewayapi.parse;

import java.util.List;
import java.util.Map;
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

    /**
     * Every kind of the API groups meshlog reads, as the upstream CRDs define them (Istio 1.2x
     * {@code manifests/charts/base/files/crd-all.gen.yaml}, Gateway API v1.2 standard and experimental channels):
     * in these groups a kind outside this list is a typo the API server would refuse ("no matches for kind"), not
     * a kind meshlog merely does not read.
     */
    static final Map<String, List<String>> GROUP_KINDS = Map.of(
            "networking.istio.io", List.of("DestinationRule", "EnvoyFilter", "Gateway", "ProxyConfig",
                    "ServiceEntry", "Sidecar", "VirtualService", "WorkloadEntry", "WorkloadGroup"),
            "security.istio.io", List.of("AuthorizationPolicy", "PeerAuthentication", "RequestAuthentication"),
            "gateway.networking.k8s.io", List.of("BackendLBPolicy", "BackendTLSPolicy", "GRPCRoute", "Gateway",
                    "GatewayClass", "HTTPRoute", "ReferenceGrant", "TCPRoute", "TLSRoute", "UDPRoute"),
            "meshlog.dev", List.of("Cluster"));

    private Kinds() {
    }

    /** The group of an {@code apiVersion} ({@code ""} for the core group's {@code v1}). */
    static String group(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    /** Whether {@code kind} is no kind of a group whose kinds are all known ({@link #GROUP_KINDS}). */
    static boolean unknownInKnownGroup(String apiVersion, String kind) {
        List<String> kinds = GROUP_KINDS.get(group(apiVersion));
        return kinds != null && !kinds.contains(kind);
    }

    /** The kind of the group closest to a misspelt one (case, or at most two letters off), or null. */
    static String closest(String apiVersion, String kind) {
        String best = null;
        int bestDistance = 3;
        for (String k : GROUP_KINDS.getOrDefault(group(apiVersion), List.of())) {
            int d = k.equalsIgnoreCase(kind) ? 0 : distance(k, kind);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance, for kind names (a few dozen characters at most). */
    private static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 2 || b.length() > 100) {
            return 3;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
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
