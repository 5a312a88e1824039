package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.List;
import meshlog.gatewayapi.kube.ListenerHostnames;
import meshlog.gatewayapi.model.KubeGateway;
import meshlog.gatewayapi.model.KubeGateway.Listener;
import meshlog.gatewayapi.model.KubeRouteParts.ParentRef;
import meshlog.reconciler.ir.GatewayApiCondition;

/**
 * Which served listeners a route attaches to, parent reference by parent reference, as the Gateway API says: the
 * reference names a Gateway (of class istio) by namespace and name, and optionally one listener by
 * {@code sectionName} and/or {@code port}; a listener takes the route if its {@code allowedRoutes} let the route's
 * kind and namespace in ({@code Same}: the Gateway's namespace, {@code All}; {@code Selector} needs namespace labels,
 * which meshlog does not have: refused, said so) and if their hostnames intersect ({@link ListenerHostnames}).
 * Each parent gets its {@code Accepted} condition: True, or False with NoMatchingParent, NotAllowedByListeners or
 * NoMatchingListenerHostname. References to Services (mesh routes) and to Gateways of other classes get none.
 */
final class KubeRouteParents {

    private KubeRouteParents() {
    }

    /** A route attached to one listener, for these hostnames. */
    record Attachment(KubeListeners.Served listener, List<String> hostnames) {
    }

    /** A parent of the route that meshlog serves: where the route's conditions for that parent go. */
    record Parent(String part, List<Attachment> attachments) {
    }

    /**
     * @param kind the route's kind ({@code HTTPRoute})
     * @param gateways every Gateway API Gateway of the config
     * @param served the served listeners of the istio-class ones
     */
    static List<Parent> attach(String resource, String kind, String namespace, List<ParentRef> refs,
                               List<String> hostnames, List<KubeGateway> gateways,
                               List<KubeListeners.Served> served, List<GatewayApiCondition> conditions) {
        List<Parent> out = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            ParentRef ref = refs.get(i);
            if (!ref.isGateway()) {
                continue; // a mesh route (parent Service): not a gateway's
            }
            String gwNamespace = ref.namespaceOr(namespace);
            String part = "parentRefs[" + i + "] Gateway " + gwNamespace + "/" + ref.name()
                    + (ref.sectionName() == null ? "" : " sectionName " + ref.sectionName())
                    + (ref.port() == null ? "" : " port " + ref.port());
            KubeGateway gw = gateways.stream().filter(g -> g.metadata().namespace().equals(gwNamespace)
                    && g.metadata().name().equals(ref.name())).findFirst().orElse(null);
            if (gw != null && !gw.gatewayClassName().equals(KubeListeners.CLASS)) {
                continue; // another controller's Gateway
            }
            List<Listener> named = gw == null ? List.of() : gw.listeners().stream()
                    .filter(l -> ref.sectionName() == null || ref.sectionName().equals(l.name()))
                    .filter(l -> ref.port() == null || ref.port() == l.port()).toList();
            if (named.isEmpty()) {
                conditions.add(accepted(resource, part, false, "NoMatchingParent", gw == null
                        ? "no Gateway " + gwNamespace + "/" + ref.name() + " in the config"
                        : "the Gateway has no listener of that sectionName and port"));
                out.add(new Parent(part, List.of()));
                continue;
            }
            List<Listener> allowed = named.stream().filter(l -> KubeListeners.takesHttpRoutes(l)
                    && allows(l, gw, namespace)).toList();
            if (allowed.isEmpty()) {
                conditions.add(accepted(resource, part, false, "NotAllowedByListeners", "no listener "
                        + names(named) + " allows " + kind + "s from namespace " + namespace + " ("
                        + froms(named) + ")"));
                out.add(new Parent(part, List.of()));
                continue;
            }
            List<Attachment> attachments = new ArrayList<>();
            for (Listener l : allowed) {
                List<String> hosts = ListenerHostnames.intersect(l.hostname(), hostnames);
                KubeListeners.Served s = served.stream().filter(x -> x.gateway() == gw && x.listener() == l)
                        .findFirst().orElse(null);
                if (!hosts.isEmpty() && s != null) {
                    attachments.add(new Attachment(s, hosts));
                }
            }
            if (attachments.isEmpty()) {
                boolean hostnameMiss = allowed.stream()
                        .anyMatch(l -> ListenerHostnames.intersect(l.hostname(), hostnames).isEmpty());
                conditions.add(hostnameMiss
                        ? accepted(resource, part, false, "NoMatchingListenerHostname", "spec.hostnames "
                        + hostnames + " intersect no hostname of listener(s) " + names(allowed))
                        : accepted(resource, part, false, "NoMatchingParent", "listener(s) " + names(allowed)
                        + " are not served (see the Gateway's listener conditions)"));
            } else {
                conditions.add(accepted(resource, part, true, "Accepted", ""));
            }
            out.add(new Parent(part, attachments));
        }
        return out;
    }

    private static boolean allows(Listener l, KubeGateway gw, String routeNamespace) {
        return switch (l.allowedRoutes().namespaces().from()) {
            case All -> true;
            case Same -> gw.metadata().namespace().equals(routeNamespace);
            case Selector -> false; // namespace labels are not in the config (no Namespace objects in git)
        };
    }

    private static String names(List<Listener> listeners) {
        return listeners.stream().map(Listener::name).toList().toString();
    }

    private static String froms(List<Listener> listeners) {
        return listeners.stream().map(l -> {
            KubeGateway.FromNamespaces from = l.allowedRoutes().namespaces().from();
            return l.name() + ": from " + from + (from == KubeGateway.FromNamespaces.Selector
                    ? " (namespace labels are not known to meshlog: refused)" : "");
        }).toList().toString();
    }

    private static GatewayApiCondition accepted(String resource, String part, boolean ok, String reason,
                                                String message) {
        return new GatewayApiCondition(resource, part, "Accepted", ok, reason, message);
    }
}
