package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.Hosts;
import meshlog.gatewayapi.ResourceKey;
import meshlog.gatewayapi.delegation.Delegation;
import meshlog.gatewayapi.delegation.Delegation.ServedRoute;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.reconciler.ir.BackendIr;
import meshlog.reconciler.ir.BackendRef;
import meshlog.reconciler.ir.RouteIr;
import meshlog.reconciler.ir.RouteActionIr;
import meshlog.reconciler.ir.RoutePolicyIr;
import meshlog.reconciler.ir.ServiceIr;
import meshlog.reconciler.ir.TextMatchIr;
import meshlog.reconciler.ir.TranslationNote;
import meshlog.reconciler.ir.WeightedBackendIr;

/**
 * VirtualServices to the routes of every service port ({@link ServiceRoutes}); how they are grouped into route
 * tables is the proxy kind's layout ({@link GrpcLayout}, {@link SidecarLayout}).
 *
 * <ul>
 *   <li>A VirtualService applies to a service when one of its hosts, resolved with {@link Hosts#fqdn} against the
 *       VirtualService's namespace, equals the service host as written (wildcard hosts match nothing yet). It then
 *       applies to every port of that host.</li>
 *   <li>Several VirtualServices for one host: the first in the order given wins (by namespace/name; for a sidecar
 *       {@link SidecarVisibility}'s, of those exported to its namespace); the others are noted. (Istio merges only
 *       for gateways; for sidecars it also picks one.)</li>
 *   <li>A VirtualService whose {@code gateways} does not include {@code mesh} does not apply to mesh clients.</li>
 *   <li>A {@code delegate} in {@code http[]} is replaced by the delegate's routes merged with it, as Istio merges
 *       them ({@link Delegation}); what is left out is noted. A delegate VirtualService (no hosts) is served only
 *       that way, never as a host of its own.</li>
 *   <li>A service without a VirtualService gets one route: prefix {@code /} to {@code outbound|<port>||<host>}.</li>
 *   <li>A VirtualService route table holds only its own routes; a call none matches fails as unroutable, as in
 *       Istio.</li>
 *   <li>For an Envoy sidecar, a TCP or TLS port takes the VirtualService's {@code tcp[]} or {@code tls[]} routes
 *       instead ({@link L4RouteTranslator}); proxyless gRPC clients take {@code http[]} only.</li>
 * </ul>
 */
final class VirtualServiceTranslator {

    private VirtualServiceTranslator() {
    }

    /**
     * @param services sorted by host and port
     * @param backends every backend that exists; routes never refer to any other
     * @param virtualServices those the scope sees, in the order in which the first for a host wins
     * @param all every VirtualService, sorted by namespace/name: where delegates are looked up
     * @param policy the timeout and retries of routes that set none (Istio's defaults differ by proxy kind)
     * @return in the order of {@code services}
     */
    static List<ServiceRoutes> translate(List<ServiceIr> services, List<BackendIr> backends,
                                         List<VirtualService> virtualServices, List<VirtualService> all,
                                         ProxyScope scope, RoutePolicyIr policy, List<TranslationNote> notes) {
        ServiceIndex index = new ServiceIndex(services, backends);
        Map<String, VirtualService> byHost = byHost(index, virtualServices, notes);
        Map<VirtualService, List<ServedRoute>> served = served(byHost.values(), all, notes);
        List<ServiceRoutes> out = new ArrayList<>();
        for (ServiceIr service : services) {
            VirtualService vs = byHost.get(service.host());
            if (scope.kind() == ProxyScope.Kind.SIDECAR
                    && (L4RouteTranslator.isTcp(service) || L4RouteTranslator.isTls(service))) {
                out.add(new ServiceRoutes(service, List.of(),
                        L4RouteTranslator.chains(vs, service, index, scope, notes)));
                continue;
            }
            List<RouteIr> routes = vs == null ? List.of(defaultRoute(service, index, policy))
                    : HttpRouteTranslator.translate(served.get(vs), service, index, scope, policy, notes);
            out.add(new ServiceRoutes(service, routes));
        }
        return out;
    }

    /** The HTTP routes each VirtualService in use serves, its delegation applied once (not per service port). */
    static Map<VirtualService, List<ServedRoute>> served(Collection<VirtualService> used,
                                                                 List<VirtualService> virtualServices,
                                                                 List<TranslationNote> notes) {
        Map<ResourceKey, VirtualService> byKey = new HashMap<>();
        virtualServices.forEach(vs -> byKey.putIfAbsent(vs.key(), vs));
        Map<VirtualService, List<ServedRoute>> out = new IdentityHashMap<>();
        for (VirtualService vs : used) {
            if (out.containsKey(vs)) {
                continue;
            }
            Delegation.Result result = Delegation.resolve(vs, byKey);
            result.problems().forEach(p -> notes.add(new TranslationNote(vs.key().toString(),
                    p.path() + ": " + p.message())));
            out.put(vs, result.routes());
        }
        return out;
    }

    private static RouteIr defaultRoute(ServiceIr service, ServiceIndex index, RoutePolicyIr policy) {
        BackendRef ref = new BackendRef(service.host(), service.port(), "");
        return new RouteIr("default", TextMatchIr.ANY_PATH, List.of(), new RouteActionIr.Forward(
                List.of(new WeightedBackendIr(ref, 100)), null, List.of(), index.hash(ref)), policy);
    }

    private static Map<String, VirtualService> byHost(ServiceIndex index, List<VirtualService> virtualServices,
                                                      List<TranslationNote> notes) {
        Map<String, VirtualService> byHost = new LinkedHashMap<>();
        for (VirtualService vs : virtualServices) {
            String origin = vs.key().toString();
            if (!vs.appliesToMesh()) {
                notes.add(new TranslationNote(origin, "spec.gateways does not include \"mesh\": not applied to "
                        + "mesh clients (it is served to the gateways it names)"));
                continue;
            }
            // A delegate has no hosts: nothing is routed by it directly (Delegation serves it through its roots).
            for (int i = 0; i < vs.hosts().size(); i++) {
                String host = Hosts.fqdn(vs.hosts().get(i), vs.metadata().namespace());
                VirtualService first = byHost.get(host);
                if (first == vs) {
                    continue; // the same host written twice (short and long form)
                }
                if (first != null) {
                    notes.add(new TranslationNote(origin, "spec.hosts[" + i + "]: " + host + " is already routed by "
                            + first.key() + " (first by namespace/name wins); ignored here"));
                } else if (!index.hasHost(host)) {
                    notes.add(new TranslationNote(origin, "spec.hosts[" + i + "]: no ServiceEntry or Kubernetes Service declares " + host
                            + "; nothing is routed for it"));
                } else {
                    byHost.put(host, vs);
                }
            }
        }
        return byHost;
    }
}
