package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.gatewayapi.model.ServiceEntry;
import meshlog.gatewayapi.model.ServiceEntry.Port;
import meshlog.gatewayapi.model.ServiceEntry.Resolution;
import meshlog.gatewayapi.model.WorkloadEntry;
import meshlog.reconciler.ir.EndpointSource;
import meshlog.reconciler.ir.ServiceIr;
import meshlog.reconciler.ir.TranslationNote;
import meshlog.reconciler.ir.WorkloadIr;

/**
 * ServiceEntries to services: one {@link ServiceIr} per host (as written) and port.
 *
 * <ul>
 *   <li>Resolution, as Istio maps it for a sidecar: STATIC → endpoints over EDS; DNS → Envoy resolves every
 *       endpoint (STRICT_DNS); DNS_ROUND_ROBIN → Envoy resolves one (LOGICAL_DNS); NONE → the connection's
 *       original destination, no endpoints. DYNAMIC_DNS is not served (noted; its services have no endpoints).</li>
 *   <li>Endpoints: the inline {@code endpoints}, or with {@code workloadSelector} the WorkloadEntries of the entry's
 *       namespace whose labels contain the selector's ({@link WorkloadEndpoints}). With DNS resolution and none,
 *       each host is its own endpoint, as in Istio.</li>
 *   <li>{@code addresses}: the IP literals are the service's VIPs (listener names, HTTP domains); a CIDR is
 *       noted and not used as a VIP.</li>
 *   <li>MESH_INTERNAL and MESH_EXTERNAL are served alike so far: in Istio they differ in mTLS (external services
 *       get none by default) and in telemetry, neither of which meshlog serves yet.</li>
 *   <li>When several ServiceEntries declare the same host and port, the first by namespace/name wins.</li>
 * </ul>
 */
final class ServiceEntryTranslator {

    private ServiceEntryTranslator() {
    }

    /** Entries without WorkloadEntries, in a cluster without a network. */
    static List<ServiceIr> translate(List<ServiceEntry> entries, List<TranslationNote> notes) {
        return translate(entries, List.of(), "", notes);
    }

    /**
     * @param entries sorted by namespace/name; the result is sorted by host, then port
     * @param workloadEntries sorted by namespace/name
     * @param network the network of the cluster served, empty when it declares none
     */
    static List<ServiceIr> translate(List<ServiceEntry> entries, List<WorkloadEntry> workloadEntries, String network,
                                     List<TranslationNote> notes) {
        Map<String, Map<Integer, ServiceIr>> byHost = new TreeMap<>();
        for (ServiceEntry se : entries) {
            String origin = se.key().toString();
            if (se.resolution() == Resolution.DYNAMIC_DNS) {
                notes.add(new TranslationNote(origin, "resolution DYNAMIC_DNS is not served yet; its clusters have "
                        + "no endpoints"));
            }
            List<String> vips = vips(se, notes);
            WorkloadEndpoints endpoints = new WorkloadEndpoints(se, workloadEntries, network, notes);
            for (String host : new LinkedHashSet<>(se.hosts())) {
                for (Port port : se.ports()) {
                    addPort(se, host, port, vips, endpoints, byHost, notes);
                }
            }
        }
        List<ServiceIr> out = new ArrayList<>();
        byHost.values().forEach(ports -> out.addAll(ports.values()));
        return out;
    }

    static EndpointSource source(Resolution r) {
        return switch (r) {
            case STATIC, DYNAMIC_DNS -> EndpointSource.EDS;
            case DNS -> EndpointSource.STRICT_DNS;
            case DNS_ROUND_ROBIN -> EndpointSource.LOGICAL_DNS;
            case NONE -> EndpointSource.ORIGINAL_DST;
        };
    }

    private static List<String> vips(ServiceEntry se, List<TranslationNote> notes) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < se.addresses().size(); i++) {
            String a = se.addresses().get(i);
            if (IpLiterals.isIp(a)) {
                out.add(a);
            } else {
                notes.add(new TranslationNote(se.key().toString(), "spec.addresses[" + i + "] " + a + ": CIDR "
                        + "addresses are not used as VIPs yet (no listener or domain for it)"));
            }
        }
        return out;
    }

    private static void addPort(ServiceEntry se, String host, Port port, List<String> vips,
                                WorkloadEndpoints endpoints, Map<String, Map<Integer, ServiceIr>> byHost,
                                List<TranslationNote> notes) {
        String origin = se.key().toString();
        if (port.number() < 1 || port.number() > 65535) {
            notes.add(new TranslationNote(origin, "port " + port.number() + " is not 1..65535; skipped"));
            return;
        }
        Map<Integer, ServiceIr> ports = byHost.computeIfAbsent(host, h -> new TreeMap<>());
        ServiceIr existing = ports.get(port.number());
        if (existing != null) {
            notes.add(new TranslationNote(origin, host + ":" + port.number() + " is already declared by "
                    + existing.origin() + " (first by namespace/name wins); ignored here"));
            return;
        }
        EndpointSource source = source(se.resolution());
        List<WorkloadIr> workloads = switch (se.resolution()) {
            case STATIC -> endpoints.forPort(host, port, false);
            case DNS -> endpoints.forPort(host, port, true);
            case DNS_ROUND_ROBIN -> endpoints.forPort(host, port, true).stream().limit(1).toList();
            case NONE, DYNAMIC_DNS -> List.of();
        };
        ports.put(port.number(), new ServiceIr(host, port.number(), port.name(), port.protocol(), origin, workloads,
                source, vips, se.exportTo()));
    }
}
