package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import meshlog.gatewayapi.model.Gateway;
import meshlog.gatewayapi.model.KubeGateway;
import meshlog.gatewayapi.model.KubeHttpRoute;
import meshlog.gatewayapi.model.KubeReferenceGrant;
import meshlog.gatewayapi.model.MeshResource;
import meshlog.gatewayapi.model.ObjectMeta;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.reconciler.ir.GatewayApiCondition;
import meshlog.reconciler.ir.ServiceIr;
import meshlog.reconciler.ir.TranslationNote;

/**
 * The Kubernetes Gateway API kinds as Istio serves them (its {@code pilot/pkg/config/kube/gateway} conversion): a
 * Gateway of class {@code istio} becomes Istio Gateways, one per served listener ({@link KubeListeners}); the
 * HTTPRoutes attached to a listener ({@link KubeRouteParents}) become, per hostname served, one VirtualService
 * bound to that listener's Gateway, holding the routes of every such HTTPRoute ordered by the Gateway API's
 * precedence ({@link KubeHttpRules}). From there the gateway translation is the one of Istio's own kinds
 * ({@link GatewayTranslator}). Along the way the objects' status conditions are computed; the False ones are also
 * translation notes (what was not served, and why).
 */
final class KubeGatewayTranslator {

    private KubeGatewayTranslator() {
    }

    /** What the Gateway API objects became, and their conditions. */
    record Converted(List<Gateway> gateways, List<VirtualService> virtualServices,
                     List<GatewayApiCondition> conditions) {
    }

    /** @param sorted every config object, sorted by key (routes are taken in that order) */
    static Converted convert(List<MeshResource> sorted, List<ServiceIr> services, List<TranslationNote> notes) {
        List<KubeGateway> gateways = only(sorted, KubeGateway.class);
        List<GatewayApiCondition> conditions = new ArrayList<>();
        List<KubeListeners.Served> served = new ArrayList<>();
        gateways.forEach(g -> served.addAll(KubeListeners.serve(g, conditions)));
        Set<String> known = services.stream().map(s -> s.host() + ":" + s.port()).collect(Collectors.toSet());
        List<KubeReferenceGrant> grants = only(sorted, KubeReferenceGrant.class);
        Map<KubeListeners.Served, Map<String, List<KubeHttpRules.Entry>>> byListener = new LinkedHashMap<>();
        for (KubeHttpRoute route : only(sorted, KubeHttpRoute.class)) {
            String ns = route.metadata().namespace();
            String resource = "HTTPRoute " + ns + "/" + route.metadata().name();
            List<KubeRouteParents.Parent> parents = KubeRouteParents.attach(resource, "HTTPRoute", ns,
                    route.parentRefs(), route.hostnames(), gateways, served, conditions);
            if (parents.isEmpty()) {
                continue; // a mesh route, or another controller's
            }
            KubeBackends.Problems problems = new KubeBackends.Problems();
            KubeBackends.Resolver resolver = new KubeBackends.Resolver("HTTPRoute", ns, grants,
                    (host, port) -> known.contains(host + ":" + port));
            List<KubeHttpRules.Entry> entries = KubeHttpRules.translate(route, resolver, problems, resource, notes);
            for (KubeRouteParents.Parent parent : parents) {
                conditions.add(problems.reason() == null
                        ? new GatewayApiCondition(resource, parent.part(), "ResolvedRefs", true, "ResolvedRefs", "")
                        : new GatewayApiCondition(resource, parent.part(), "ResolvedRefs", false, problems.reason(),
                        problems.message() + "; requests for it get 500"));
                for (KubeRouteParents.Attachment a : parent.attachments()) {
                    Map<String, List<KubeHttpRules.Entry>> byHost = byListener.computeIfAbsent(a.listener(),
                            l -> new LinkedHashMap<>());
                    a.hostnames().forEach(h -> byHost.computeIfAbsent(h, x -> new ArrayList<>()).addAll(entries));
                }
            }
        }
        conditions.stream().filter(c -> !c.status()).map(GatewayApiCondition::asNote).forEach(notes::add);
        return new Converted(served.stream().map(KubeListeners.Served::istio).toList(),
                virtualServices(byListener), List.copyOf(conditions));
    }

    private static List<VirtualService> virtualServices(
            Map<KubeListeners.Served, Map<String, List<KubeHttpRules.Entry>>> byListener) {
        List<VirtualService> out = new ArrayList<>();
        byListener.forEach((listener, byHost) -> {
            int i = 0;
            for (Map.Entry<String, List<KubeHttpRules.Entry>> e : byHost.entrySet()) {
                List<KubeHttpRules.Entry> entries = new ArrayList<>(e.getValue());
                entries.sort(KubeHttpRules.PRECEDENCE); // stable: ties keep the routes' order
                Gateway istio = listener.istio();
                ObjectMeta meta = new ObjectMeta(istio.metadata().name() + "-" + i++, istio.metadata().namespace(),
                        Map.of(), Map.of(KubeListeners.FROM_ANNOTATION,
                        istio.metadata().annotations().get(KubeListeners.FROM_ANNOTATION)));
                out.add(new VirtualService(meta, List.of(e.getKey()), List.of(listener.istioRef()),
                        entries.stream().map(KubeHttpRules.Entry::route).toList()));
            }
        });
        return out;
    }

    private static <T extends MeshResource> List<T> only(List<MeshResource> sorted, Class<T> type) {
        return sorted.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
