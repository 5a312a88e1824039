package meshlog.discovery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.discovery.kube.KubeEndpointSlice;
import meshlog.discovery.kube.KubeEndpointSlice.SliceEndpoint;
import meshlog.discovery.kube.KubeEndpointSlice.SlicePort;
import meshlog.discovery.kube.KubePod;
import meshlog.discovery.kube.KubeServicePort;
import meshlog.configstore.endpoints.Health;
import meshlog.configstore.endpoints.Locality;
import meshlog.configstore.endpoints.ServiceEndpoint;

/**
 * A service's EndpointSlices → its endpoints: address, the port of each service port, the pod's labels and service
 * account, locality from the node, health from the slice's conditions.
 */
final class EndpointResolver {

    static final String REGION = "topology.kubernetes.io/region";
    static final String ZONE = "topology.kubernetes.io/zone";
    static final String SUBZONE = "topology.istio.io/subzone";
    static final String NETWORK = "topology.istio.io/network";
    /** Istio's pod label overriding the node's locality: {@code region.zone.subzone} (label values allow no '/'). */
    static final String ISTIO_LOCALITY = "istio-locality";

    private final Map<String, KubePod> pods;
    private final Map<String, Map<String, String>> nodes;
    private final Map<String, Map<String, String>> namespaces;
    private final int maxLabels;

    EndpointResolver(Map<String, KubePod> pods, Map<String, Map<String, String>> nodes,
                     Map<String, Map<String, String>> namespaces, int maxLabels) {
        this.pods = pods;
        this.nodes = nodes;
        this.namespaces = namespaces;
        this.maxLabels = maxLabels;
    }

    /**
     * The endpoints of one service, sorted by address. An address in two slices (a pod moving between slices) is
     * one endpoint: the ready one wins. FQDN slices are skipped, as Istio does.
     */
    List<ServiceEndpoint> endpoints(String where, List<KubeServicePort> ports, List<KubeEndpointSlice> slices,
                                    List<String> notes) {
        Map<String, ServiceEndpoint> byAddress = new TreeMap<>();
        List<KubeEndpointSlice> sorted = new ArrayList<>(slices);
        sorted.sort(Comparator.comparing(KubeEndpointSlice::name));
        for (KubeEndpointSlice slice : sorted) {
            if (slice.addressType().equals("FQDN")) {
                continue;
            }
            for (SliceEndpoint e : slice.endpoints()) {
                if (e.addresses().isEmpty()) {
                    continue;
                }
                ServiceEndpoint ep = endpoint(where, slice, e, ports, notes);
                if (ep != null) {
                    byAddress.merge(ep.address(), ep, (a, b) -> rank(b) > rank(a) ? b : a);
                }
            }
        }
        return List.copyOf(byAddress.values());
    }

    private static int rank(ServiceEndpoint e) {
        return (e.health().ready() ? 2 : 0) + (e.health().serving() ? 1 : 0);
    }

    private ServiceEndpoint endpoint(String where, KubeEndpointSlice slice, SliceEndpoint e,
                                     List<KubeServicePort> ports, List<String> notes) {
        // Kubernetes: consumers use the first address; the others are the same endpoint.
        String address = e.addresses().get(0);
        KubePod pod = e.podName().isEmpty() ? null : pods.get(slice.namespace() + "/" + e.podName());
        if (pod == null && !e.podName().isEmpty()) {
            // The slice names a pod the watch has not delivered yet. Served now, the endpoint would carry no labels
            // or service account, so subsets and identity would miss it; Istio holds it until the pod arrives.
            notes.add(where + ": endpoint " + address + " waits for its pod " + e.podName() + ", not seen yet");
            return null;
        }
        Map<String, Integer> resolved = new LinkedHashMap<>();
        for (KubeServicePort p : ports) {
            Integer port = port(p, slice.ports(), pod);
            if (port != null) {
                resolved.put(p.name(), port);
            }
        }
        if (resolved.isEmpty() && !ports.isEmpty()) {
            notes.add(where + ": endpoint " + address + " has no port of the service; left out");
            return null;
        }
        String node = !e.nodeName().isEmpty() ? e.nodeName() : pod == null ? "" : pod.nodeName();
        Map<String, String> labels = pod == null ? Map.of() : bounded(pod.labels());
        return new ServiceEndpoint(address, resolved, labels, locality(pod, node, e.zone()),
                Health.of(e.ready(), e.serving(), e.terminating()), pod == null ? "" : pod.serviceAccount(),
                pod == null ? "" : pod.name(), node, network(pod, slice.namespace()));
    }

    /**
     * The slice's port of the same name and protocol (the EndpointSlice controller resolved the target port per
     * pod); else the target port itself: a number, a named container port of the pod, or the service port.
     */
    private static Integer port(KubeServicePort p, List<SlicePort> slicePorts, KubePod pod) {
        for (SlicePort sp : slicePorts) {
            if (sp.name().equals(p.name()) && sp.protocol().equalsIgnoreCase(p.protocol()) && sp.port() != null) {
                return sp.port();
            }
        }
        String target = p.targetPort();
        if (target.isEmpty()) {
            return p.port();
        }
        if (target.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(target);
        }
        return pod == null ? null : pod.containerPorts().get(target);
    }

    private Locality locality(KubePod pod, String node, String sliceZone) {
        String override = pod == null ? null : pod.labels().get(ISTIO_LOCALITY);
        if (override != null && !override.isEmpty()) {
            String[] parts = override.split("\\.", 3);
            return new Locality(parts[0], parts.length > 1 ? parts[1] : "", parts.length > 2 ? parts[2] : "");
        }
        Map<String, String> n = nodes.getOrDefault(node, Map.of());
        return new Locality(n.getOrDefault(REGION, ""), n.getOrDefault(ZONE, sliceZone), n.getOrDefault(SUBZONE, ""));
    }

    private String network(KubePod pod, String namespace) {
        String own = pod == null ? null : pod.labels().get(NETWORK);
        if (own != null) {
            return own;
        }
        return namespaces.getOrDefault(namespace, Map.of()).getOrDefault(NETWORK, "");
    }

    private Map<String, String> bounded(Map<String, String> labels) {
        TreeMap<String, String> sorted = new TreeMap<>(labels);
        while (sorted.size() > maxLabels) {
            sorted.pollLastEntry();
        }
        return sorted;
    }
}
