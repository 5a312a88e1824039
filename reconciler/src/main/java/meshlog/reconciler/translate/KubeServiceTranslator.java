package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import meshlog.configstore.endpoints.DiscoveredService;
import meshlog.configstore.endpoints.Health;
import meshlog.configstore.endpoints.ServiceEndpoint;
import meshlog.gatewayapi.validate.ListenerChecks.Protocol;
import meshlog.configstore.endpoints.ServicePort;
import meshlog.reconciler.ir.EndpointSource;
import meshlog.reconciler.ir.LocalityIr;
import meshlog.reconciler.ir.ServiceIr;
import meshlog.reconciler.ir.TranslationNote;
import meshlog.reconciler.ir.WorkloadIr;

/**
 * Kubernetes Services, as discovery published them ({@code meshlog.endpoints}), to services: one {@link ServiceIr}
 * per hostname and port, as Istio's Kubernetes registry makes them.
 *
 * <ul>
 *   <li>Mesh-wide, as Istio multi-cluster ("namespace sameness"): a hostname discovered in several clusters is one
 *       service whose endpoints are those of every cluster. Its ports and VIPs are the served cluster's record's
 *       (a proxy dials its own cluster's ClusterIP, as Istio's per-cluster VIPs), else the first cluster's by
 *       name.</li>
 *   <li>Kind: ClusterIP (NodePort, LoadBalancer) → endpoints over EDS; Headless → the connection's original
 *       destination (Istio's Passthrough); ExternalName → Envoy resolves the external name (Istio's DNS
 *       resolution), one endpoint per port at the service port.</li>
 *   <li>Protocol: discovery's reading of the port (Istio's {@code ConvertProtocol}); UNSUPPORTED is sniffed, which
 *       meshlog's sidecar layout serves as HTTP, as a ServiceEntry port without protocol.</li>
 *   <li>Endpoints: HEALTHY only. Istio leaves UNHEALTHY endpoints out ({@code SEND_UNHEALTHY_ENDPOINTS} is off
 *       by default) and DRAINING (terminating but serving) too, unless the service has persistent sessions, which
 *       meshlog does not serve. A not-ready endpoint of a {@code publishNotReadyAddresses} service is ready in its
 *       EndpointSlice already. An endpoint on another network than the served cluster's is left out (no
 *       east-west gateway is served yet), as in {@link WorkloadEndpoints}. An address and port twice (two
 *       clusters with overlapping pod CIDRs) is kept once.</li>
 *   <li>Labels (subsets) are the pod's; locality is discovery's (pod label, node topology, slice zone).</li>
 * </ul>
 */
final class KubeServiceTranslator {

    private static final Comparator<DiscoveredService> CLUSTER_ORDER = Comparator.comparing(
            DiscoveredService::cluster);

    private KubeServiceTranslator() {
    }

    /**
     * @param discovered the records of every cluster of the mesh, in any order
     * @param cluster the cluster served (its record's ports and VIPs are used)
     * @param network the served cluster's network, empty when it declares none
     * @return sorted by host, then port
     */
    static List<ServiceIr> translate(List<DiscoveredService> discovered, String cluster, String network,
                                     List<TranslationNote> notes) {
        Map<String, List<DiscoveredService>> byHost = new TreeMap<>();
        discovered.forEach(s -> byHost.computeIfAbsent(s.hostname(), h -> new ArrayList<>()).add(s));
        List<ServiceIr> out = new ArrayList<>();
        byHost.forEach((host, records) -> {
            records.sort(CLUSTER_ORDER);
            DiscoveredService primary = records.stream().filter(r -> r.cluster().equals(cluster)).findFirst()
                    .orElse(records.get(0));
            for (ServicePort port : primary.ports()) {
                // Istio builds no cluster or listener for a UDP port: sidecars proxy TCP only. Served, a UDP port
                // beside a TCP one of the same number (kube-dns: 53/UDP and 53/TCP) names one cluster twice.
                if (port.protocol() != Protocol.UDP) {
                    out.add(service(primary, port, records, network, notes));
                }
            }
        });
        out.sort(Comparator.comparing(ServiceIr::host).thenComparingInt(ServiceIr::port));
        return out;
    }

    /** {@code Service <namespace>/<name>}: what notes about it are filed under. */
    static String origin(DiscoveredService s) {
        return "Service " + s.namespace() + "/" + s.name();
    }

    private static ServiceIr service(DiscoveredService primary, ServicePort port, List<DiscoveredService> records,
                                     String network, List<TranslationNote> notes) {
        String origin = origin(primary);
        String protocol = protocol(port);
        return switch (primary.kind()) {
            case "ExternalName" -> new ServiceIr(primary.hostname(), port.port(), port.name(), protocol, origin,
                    List.of(new WorkloadIr(primary.externalName(), port.port(), Map.of(), LocalityIr.NONE, 1)),
                    EndpointSource.STRICT_DNS, List.of(), primary.exportTo());
            case "Headless" -> new ServiceIr(primary.hostname(), port.port(), port.name(), protocol, origin,
                    List.of(), EndpointSource.ORIGINAL_DST, List.of(), primary.exportTo());
            default -> new ServiceIr(primary.hostname(), port.port(), port.name(), protocol, origin,
                    workloads(port, records, network, origin, notes), EndpointSource.EDS, primary.vips(),
                    primary.exportTo());
        };
    }

    private static List<WorkloadIr> workloads(ServicePort port, List<DiscoveredService> records, String network,
                                              String origin, List<TranslationNote> notes) {
        List<WorkloadIr> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int otherNetwork = 0;
        for (DiscoveredService r : records) {
            for (ServiceEndpoint ep : r.endpoints()) {
                Integer epPort = ep.ports().get(port.name());
                if (epPort == null || ep.health().status() != Health.Status.HEALTHY) {
                    continue;
                }
                if (!network.isEmpty() && !ep.network().isEmpty() && !ep.network().equals(network)) {
                    otherNetwork++;
                    continue;
                }
                if (seen.add(ep.address() + " " + epPort)) {
                    out.add(new WorkloadIr(ep.address(), epPort, ep.labels(), new LocalityIr(ep.locality().region(),
                            ep.locality().zone(), ep.locality().subzone()), 1,
                            SpiffeIds.of(r.namespace(), ep.serviceAccount())));
                }
            }
        }
        if (otherNetwork > 0) {
            notes.add(new TranslationNote(origin, otherNetwork + " endpoint(s) of port " + port.port() + " are on "
                    + "another network than this cluster's (" + network + ") and no gateway to it is served; left "
                    + "out"));
        }
        return out;
    }

    /** The protocol as the layouts read a ServiceEntry port's: sniffed ports have none. */
    private static String protocol(ServicePort port) {
        return switch (port.protocol()) {
            case UNSUPPORTED -> "";
            case GRPC_WEB -> "GRPC-WEB";
            default -> port.protocol().name();
        };
    }
}
