package meshlog.reconciler.translate;

import meshlog.xdscheck.XdsLimits;
import java.util.ArrayList;
import java.util.List;
import meshlog.gatewayapi.Hosts;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.Destination;
import meshlog.gatewayapi.model.VirtualService.RouteDestination;
import meshlog.reconciler.ir.BackendRef;
import meshlog.reconciler.ir.ServiceIr;
import meshlog.reconciler.ir.TranslationNote;
import meshlog.reconciler.ir.WeightedBackendIr;

/**
 * The action of one {@code http} route: its destinations, as backends with Istio's weights.
 *
 * <ul>
 *   <li>One destination gets all traffic, whatever its weight.</li>
 *   <li>With several, a missing weight counts as 0 and destinations of weight 0 are dropped (as Istio does); if one
 *       remains it gets all traffic. Weights need not sum to 100: each gets weight / sum.</li>
 *   <li>Destination host: {@link Hosts#fqdn} against the VirtualService's namespace. Port: {@code port.number}, else
 *       the host's only port, else the listener's port when the host is the listener's host.</li>
 *   <li>A destination naming no existing backend (unknown host, port or subset) is dropped with a note; a route left
 *       with no destination, or whose weights sum to 0 or exceed 2^32-1 (the gRPC client NACKs both), is skipped
 *       with a note. Validation rejects most of this; translation still never refers to a missing cluster.</li>
 * </ul>
 */
final class DestinationResolver {


    private DestinationResolver() {
    }

    /**
     * The destinations of any route of {@code vs} ({@code http[]}, {@code tcp[]}, {@code tls[]}) at {@code path}.
     *
     * @return empty when the route is to be skipped (the reason is noted)
     */
    static List<WeightedBackendIr> resolve(VirtualService vs, List<RouteDestination> dests, String path,
                                           ServiceIr service, ServiceIndex index, List<TranslationNote> notes) {
        return resolve(vs.key().toString(), vs.metadata().namespace(), dests, path, service, index, notes);
    }

    /**
     * The destinations of a route written in {@code namespace} by {@code origin} (a delegated route's hosts are
     * fully qualified already, {@link meshlog.gatewayapi.delegation.Delegation}).
     *
     * @return empty when the route is to be skipped (the reason is noted)
     */
    static List<WeightedBackendIr> resolve(String origin, String namespace, List<RouteDestination> dests,
                                           String path, ServiceIr service, ServiceIndex index,
                                           List<TranslationNote> notes) {
        Context ctx = new Context(origin, namespace, service, index, notes);
        if (dests.isEmpty()) {
            ctx.note(path, "no destination; route skipped");
            return List.of();
        }
        if (dests.size() == 1) {
            BackendRef ref = ctx.backend(dests.get(0).destination(), path + ".route[0].destination");
            if (ref == null) {
                ctx.note(path, "route skipped: its only destination has no cluster");
                return List.of();
            }
            return List.of(new WeightedBackendIr(ref, 100));
        }
        List<WeightedBackendIr> kept = new ArrayList<>();
        long total = 0;
        for (int j = 0; j < dests.size(); j++) {
            RouteDestination rd = dests.get(j);
            int weight = rd.weight() == null ? 0 : rd.weight();
            if (weight <= 0) {
                continue; // Istio drops zero-weight destinations
            }
            BackendRef ref = ctx.backend(rd.destination(), path + ".route[" + j + "].destination");
            if (ref != null) {
                kept.add(new WeightedBackendIr(ref, weight));
                total += weight;
            }
        }
        if (kept.isEmpty()) {
            ctx.note(path, "route skipped: no destination with a weight above 0 and a cluster");
            return List.of();
        }
        if (total > XdsLimits.MAX_TOTAL_WEIGHT) {
            ctx.note(path, "route skipped: weights sum to " + total + ", above " + XdsLimits.MAX_TOTAL_WEIGHT);
            return List.of();
        }
        return kept.size() == 1 ? List.of(new WeightedBackendIr(kept.get(0).backend(), 100)) : kept;
    }

    /** The backend one destination names (a mirror's, say), or null (noted) when none exists. */
    static BackendRef backend(String origin, String namespace, Destination d, String path, ServiceIr service,
                              ServiceIndex index, List<TranslationNote> notes) {
        return new Context(origin, namespace, service, index, notes).backend(d, path);
    }

    private record Context(String origin, String namespace, ServiceIr service, ServiceIndex index,
                           List<TranslationNote> notes) {

        void note(String path, String message) {
            notes.add(new TranslationNote(origin, path + " (for " + service.name() + "): " + message));
        }

        /** The backend a destination names, or null (noted) when none exists. */
        BackendRef backend(Destination d, String path) {
            if (d == null || d.host().isEmpty()) {
                note(path, "no destination host; dropped");
                return null;
            }
            String host = Hosts.fqdn(d.host(), namespace);
            List<Integer> ports = index.ports(host);
            if (ports.isEmpty()) {
                note(path, "no ServiceEntry or Kubernetes Service declares " + host + "; dropped");
                return null;
            }
            int port = port(d, host, ports);
            if (port == 0) {
                note(path, host + " has ports " + ports + "; set port.number to choose one; dropped");
                return null;
            }
            BackendRef ref = new BackendRef(host, port, d.subset());
            if (!index.exists(ref)) {
                String why = !ports.contains(port) ? host + " has no port " + port
                        : "no DestinationRule defines subset \"" + d.subset() + "\" for " + host;
                note(path, "no cluster " + ref.clusterName() + " (" + why + "); dropped");
                return null;
            }
            return ref;
        }

        private int port(Destination d, String host, List<Integer> ports) {
            if (d.port() > 0) {
                return d.port();
            }
            if (ports.size() == 1) {
                return ports.get(0);
            }
            return host.equals(service.host()) ? service.port() : 0;
        }
    }
}
