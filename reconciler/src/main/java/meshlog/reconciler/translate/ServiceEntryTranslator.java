package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.gatewayapi.model.ServiceEntry;
import meshlog.gatewayapi.model.ServiceEntry.Port;
import meshlog.gatewayapi.model.ServiceEntry.Resolution;
import meshlog.gatewayapi.model.ServiceEntry.WorkloadEndpoint;
import meshlog.reconciler.ir.LocalityIr;
import meshlog.reconciler.ir.ServiceIr;
import meshlog.reconciler.ir.TranslationNote;
import meshlog.reconciler.ir.WorkloadIr;

/**
 * ServiceEntries to services: one {@link ServiceIr} per host (as written) and port.
 *
 * <ul>
 *   <li>MESH_INTERNAL and MESH_EXTERNAL are served alike.</li>
 *   <li>Only resolution STATIC has endpoints (the inline ones). Other resolutions give services with no endpoints
 *       for now, with a note: DNS resolution would need a DNS cluster type, which the gRPC client does not take
 *       from EDS.</li>
 *   <li>An endpoint's port for a service port: {@code endpoint.ports[port name]}, else the port's targetPort if
 *       set, else the port number. Weight 0 (or none) counts as 1.</li>
 *   <li>An endpoint address that is not an IP literal is skipped with a note (EDS carries IPs only).</li>
 *   <li>When several ServiceEntries declare the same host and port, the first by namespace/name wins.</li>
 *   <li>An endpoint address and port listed twice for one service port is kept once (the first).</li>
 * </ul>
 */
final class ServiceEntryTranslator {

    private ServiceEntryTranslator() {
    }

    /** @param entries sorted by namespace/name; the result is sorted by host, then port */
    static List<ServiceIr> translate(List<ServiceEntry> entries, List<TranslationNote> notes) {
        Map<String, Map<Integer, ServiceIr>> byHost = new TreeMap<>();
        for (ServiceEntry se : entries) {
            String origin = se.key().toString();
            if (se.resolution() != Resolution.STATIC) {
                notes.add(new TranslationNote(origin, "resolution " + se.resolution()
                        + ": meshlog serves endpoints for STATIC resolution only so far; its clusters have none"));
            }
            for (String host : new LinkedHashSet<>(se.hosts())) {
                for (Port port : se.ports()) {
                    addPort(se, host, port, byHost, notes);
                }
            }
        }
        List<ServiceIr> out = new ArrayList<>();
        byHost.values().forEach(ports -> out.addAll(ports.values()));
        return out;
    }

    private static void addPort(ServiceEntry se, String host, Port port, Map<String, Map<Integer, ServiceIr>> byHost,
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
        List<WorkloadIr> workloads = se.resolution() == Resolution.STATIC
                ? workloads(se, host, port, notes) : List.of();
        ports.put(port.number(), new ServiceIr(host, port.number(), port.name(), port.protocol(), origin, workloads));
    }

    private static List<WorkloadIr> workloads(ServiceEntry se, String host, Port port, List<TranslationNote> notes) {
        List<WorkloadIr> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < se.endpoints().size(); i++) {
            WorkloadEndpoint ep = se.endpoints().get(i);
            if (!IpLiterals.isIp(ep.address())) {
                notes.add(new TranslationNote(se.key().toString(), "spec.endpoints[" + i + "].address \""
                        + ep.address() + "\" is not an IP address; skipped for " + host + ":" + port.number()));
                continue;
            }
            int epPort = endpointPort(ep, port);
            if (!seen.add(ep.address() + " " + epPort)) {
                // gRPC refuses an assignment naming one address twice; Istio also keeps one.
                notes.add(new TranslationNote(se.key().toString(), "spec.endpoints[" + i + "]: " + ep.address() + ":"
                        + epPort + " is listed twice for " + host + ":" + port.number() + "; the first is kept"));
                continue;
            }
            out.add(new WorkloadIr(ep.address(), epPort, ep.labels(),
                    LocalityIr.parse(ep.locality()), Math.max(1, ep.weight())));
        }
        return out;
    }

    private static int endpointPort(WorkloadEndpoint ep, Port port) {
        Integer named = port.name().isEmpty() ? null : ep.ports().get(port.name());
        if (named != null) {
            return named;
        }
        return port.targetPort() != 0 ? port.targetPort() : port.number();
    }
}
