package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import meshlog.gatewayapi.ExportTo;
import meshlog.gatewayapi.ResourceKey;
import meshlog.gatewayapi.model.DestinationRule;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.reconciler.ir.BackendIr;
import meshlog.reconciler.ir.ServiceIr;

/**
 * What an Envoy sidecar of one namespace sees of a cluster's config, by {@code exportTo} ({@link ExportTo}) and the
 * mesh defaults, as Istio's {@code SidecarScope} starts from before a {@code Sidecar}'s egress hosts narrow it
 * further ({@link SidecarEgress}):
 *
 * <ul>
 *   <li>the services (ServiceEntries, Kubernetes Services) exported to the namespace;</li>
 *   <li>the VirtualServices exported to it, in Istio's order (those of its own namespace exported to it alone
 *       first, then those exporting to it by name, then those exported everywhere; each group by namespace/name), so
 *       where two route one host the first wins as Istio's first does;</li>
 *   <li>the backends of the visible services, with the DestinationRule {@link DestinationRuleLookup} finds for the
 *       namespace.</li>
 * </ul>
 *
 * <p>Envoy gateways see services and rules through the same view of their namespace (Istio's
 * {@code DefaultSidecarScopeForGateway}); which VirtualServices they bind is {@link GatewayBinding}'s.
 *
 * <p>Delegates are still looked up among every VirtualService: {@link meshlog.gatewayapi.delegation.Delegation}
 * applies their {@code exportTo} against the root's namespace. Views are computed once per namespace, and backends
 * once per distinct choice of rules, so namespaces that choose alike share one list.
 */
final class SidecarVisibility {

    /** One namespace's view. */
    record View(List<ServiceIr> services, List<BackendIr> backends, List<VirtualService> virtualServices) {
    }

    private final List<ServiceIr> services;
    private final List<VirtualService> virtualServices;
    private final ExportTo.Defaults defaults;
    private final DestinationRuleLookup lookup;
    private final Function<List<DestinationRule>, List<BackendIr>> backendsOf;
    private final Map<String, View> views = new ConcurrentHashMap<>();
    private final Map<List<ResourceKey>, List<BackendIr>> backendsByRules = new ConcurrentHashMap<>();

    /**
     * @param services sorted by host and port
     * @param rules every DestinationRule, sorted by namespace/name
     * @param virtualServices sorted by namespace/name
     * @param backendsOf the backends of every service with the given rules (at most one per host)
     * @param known backends already translated, by the rules they were translated with: reused, not made again
     */
    SidecarVisibility(List<ServiceIr> services, List<DestinationRule> rules, List<VirtualService> virtualServices,
                      ExportTo.Defaults defaults, Function<List<DestinationRule>, List<BackendIr>> backendsOf,
                      Map<List<DestinationRule>, List<BackendIr>> known) {
        this.services = List.copyOf(services);
        this.virtualServices = List.copyOf(virtualServices);
        this.defaults = defaults;
        this.lookup = new DestinationRuleLookup(rules, defaults.destinationRule());
        this.backendsOf = backendsOf;
        known.forEach((r, b) -> backendsByRules.put(r.stream().map(DestinationRule::key).toList(), List.copyOf(b)));
    }

    View of(String namespace) {
        return views.computeIfAbsent(namespace, this::compute);
    }

    private View compute(String namespace) {
        List<ServiceIr> visible = services.stream().filter(s -> ExportTo.visible(s.exportTo(), defaults.service(),
                namespaceOf(s), namespace)).toList();
        Set<DestinationRule> chosen = new LinkedHashSet<>();
        Set<String> ports = new HashSet<>();
        for (ServiceIr s : visible) {
            ports.add(s.name());
            DestinationRule rule = lookup.find(namespace, s.host(), namespaceOf(s));
            if (rule != null) {
                chosen.add(rule);
            }
        }
        List<DestinationRule> rules = new ArrayList<>(chosen);
        rules.sort(Comparator.comparing(DestinationRule::key));
        List<BackendIr> backends = backendsByRules.computeIfAbsent(rules.stream().map(DestinationRule::key).toList(),
                k -> backendsOf.apply(rules)).stream()
                .filter(b -> ports.contains(b.ref().host() + ":" + b.ref().port())).toList();
        return new View(visible, backends, virtualServicesFor(namespace));
    }

    private List<VirtualService> virtualServicesFor(String namespace) {
        List<VirtualService> out = new ArrayList<>();
        for (int rank = 0; rank < 3; rank++) {
            for (VirtualService vs : virtualServices) {
                String own = vs.metadata().namespace();
                if (ExportTo.visible(vs.exportTo(), defaults.virtualService(), own, namespace)
                        && rank(vs, own, namespace) == rank) {
                    out.add(vs);
                }
            }
        }
        return out;
    }

    /** 0: its own namespace's, not exported everywhere; 1: exported to the namespace by name; 2: everywhere. */
    private int rank(VirtualService vs, String own, String namespace) {
        List<String> to = vs.exportTo().isEmpty() ? defaults.virtualService() : vs.exportTo();
        if (to.contains(ExportTo.ALL)) {
            return 2;
        }
        return own.equals(namespace) && (to.contains(ExportTo.OWN) || to.contains(own)) ? 0 : 1;
    }

    /** The namespace of the object that declared a service ({@code <Kind> <namespace>/<name>}). */
    static String namespaceOf(ServiceIr s) {
        return ResourceKey.parse(s.origin()).namespace();
    }
}
