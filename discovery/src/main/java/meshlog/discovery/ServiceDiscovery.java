package meshlog.discovery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.discovery.kube.ClusterView;
import meshlog.discovery.kube.KubeEndpointSlice;
import meshlog.discovery.kube.KubePod;
import meshlog.discovery.kube.KubeService;
import meshlog.discovery.kube.KubeServicePort;
import meshlog.configstore.endpoints.DiscoveredService;
import meshlog.configstore.endpoints.ServiceEndpoint;
import meshlog.configstore.endpoints.ServicePort;

/**
 * Discovery's pure core: one cluster's Services, EndpointSlices, Pods, Nodes and Namespaces → the services the mesh
 * sees (host, VIPs, ports with Istio's protocol, endpoints) and the workloads of each namespace. Deterministic: the
 * same view gives the same records, whatever the order of its lists.
 */
public final class ServiceDiscovery {

    /** Kubernetes' default cluster domain, as Istio's {@code DOMAIN_SUFFIX}. */
    public static final String CLUSTER_DOMAIN = "cluster.local";

    private ServiceDiscovery() {
    }

    public static Discovered discover(ClusterView view, DiscoveryLimits limits) {
        List<String> notes = new ArrayList<>();
        Map<String, KubePod> pods = new HashMap<>();
        view.pods().forEach(p -> pods.put(p.namespace() + "/" + p.name(), p));
        Map<String, Map<String, String>> nodes = new HashMap<>();
        view.nodes().forEach(n -> nodes.put(n.name(), n.labels()));
        Map<String, Map<String, String>> namespaces = new HashMap<>();
        view.namespaces().forEach(n -> namespaces.put(n.name(), n.labels()));
        Map<String, List<KubeEndpointSlice>> slices = new HashMap<>();
        for (KubeEndpointSlice s : view.slices()) {
            slices.computeIfAbsent(s.namespace() + "/" + s.serviceName(), k -> new ArrayList<>()).add(s);
        }
        EndpointResolver resolver = new EndpointResolver(pods, nodes, namespaces, limits.maxLabels());

        List<KubeService> services = new ArrayList<>(view.services());
        services.sort(Comparator.comparing(KubeService::namespace).thenComparing(KubeService::name));
        if (services.size() > limits.maxServices()) {
            notes.add("cluster " + view.cluster() + ": " + (services.size() - limits.maxServices())
                    + " services left out (limit " + limits.maxServices() + ")");
            services = services.subList(0, limits.maxServices());
        }
        TreeMap<String, DiscoveredService> out = new TreeMap<>();
        for (KubeService s : services) {
            List<KubeEndpointSlice> own = slices.getOrDefault(s.namespace() + "/" + s.name(), List.of());
            DiscoveredService d = service(view.cluster(), s, own, resolver, limits, notes);
            out.put(d.key(), d);
        }
        return new Discovered(out, Workloads.byNamespace(view.cluster(), view.pods(), limits, notes), notes);
    }

    private static DiscoveredService service(String cluster, KubeService s, List<KubeEndpointSlice> slices,
                                             EndpointResolver resolver, DiscoveryLimits limits, List<String> notes) {
        String where = s.namespace() + "/" + s.name();
        List<KubeServicePort> kubePorts = new ArrayList<>();
        for (KubeServicePort p : s.ports()) {
            if (p.protocol().equalsIgnoreCase("SCTP")) {
                notes.add(where + ": port " + p.port() + " is SCTP, which the proxies do not carry; left out");
            } else if (kubePorts.size() == limits.maxPortsPerService()) {
                notes.add(where + ": ports past " + limits.maxPortsPerService() + " left out");
                break;
            } else {
                kubePorts.add(p);
            }
        }
        List<ServicePort> ports = kubePorts.stream()
                .map(p -> new ServicePort(p.name(), p.port(), PortProtocols.of(p), p.targetPort())).toList();
        String kind = kind(s);
        List<String> vips = kind.equals("ClusterIP")
                ? s.clusterIps().stream().filter(ip -> !ip.isEmpty() && !ip.equals("None")).toList() : List.of();
        List<ServiceEndpoint> endpoints = kind.equals("ExternalName")
                ? List.of() : resolver.endpoints(where, kubePorts, slices, notes);
        int leftOut = Math.max(0, endpoints.size() - limits.maxEndpointsPerService());
        if (leftOut > 0) {
            notes.add(where + ": " + leftOut + " endpoints left out (limit " + limits.maxEndpointsPerService() + ")");
            endpoints = endpoints.subList(0, limits.maxEndpointsPerService());
        }
        return new DiscoveredService(DiscoveredService.SCHEMA_VERSION, cluster, s.namespace(), s.name(),
                s.name() + "." + s.namespace() + ".svc." + CLUSTER_DOMAIN, kind,
                kind.equals("ExternalName") ? s.externalName() : "", vips, ports, endpoints, leftOut, s.exportTo());
    }

    private static String kind(KubeService s) {
        if (s.type().equals("ExternalName")) {
            return "ExternalName";
        }
        // An unallocated ClusterIP (none yet) is still a ClusterIP service, with no VIP so far.
        return s.clusterIps().contains("None") ? "Headless" : "ClusterIP";
    }
}
