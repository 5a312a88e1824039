package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.delegation.Delegation.ServedRoute;
import meshlog.gatewayapi.model.Gateway;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.reconciler.ir.MeshIr;
import meshlog.reconciler.ir.TranslationNote;

/**
 * The IR of an Envoy gateway ({@link ProxyScope.Kind#ROUTER}): the servers of the Gateways whose
 * {@code selector} its labels match (Gateways of any namespace, Istio's default; an empty selector selects every
 * gateway), laid out per port by {@link GatewayLayout}, the routes of the VirtualServices bound to them
 * ({@link GatewayBinding}) translated as a sidecar's are ({@link HttpRouteTranslator}), and every backend as a
 * cluster, as Istio gives a gateway every outbound cluster. A gateway gets no sidecar outbound or inbound side.
 */
final class GatewayTranslator {

    private GatewayTranslator() {
    }

    static MeshIr translate(MeshTranslator.ClusterModel model, ProxyScope scope, List<TranslationNote> notes) {
        // A gateway sees the services and DestinationRules exported to its own namespace, as a sidecar does
        // (Istio's DefaultSidecarScopeForGateway); which VirtualServices it binds is GatewayBinding's.
        SidecarVisibility.View view = model.sidecarVisibility().of(scope.namespace());
        ServiceIndex index = new ServiceIndex(view.services(), view.backends());
        List<GatewayServer> servers = new ArrayList<>();
        List<VirtualService> bound = new ArrayList<>();
        for (Gateway gw : model.gateways()) {
            if (!SidecarSelector.selects(gw.selector(), scope.labels())
                    || !KubeListeners.servesNamespace(gw, scope.namespace())) {
                continue;
            }
            for (int i = 0; i < gw.servers().size(); i++) {
                GatewayServer s = GatewayServer.of(gw, i, notes);
                if (s != null) {
                    servers.add(s);
                }
            }
            for (VirtualService vs : model.virtualServices()) {
                if (GatewayBinding.binds(vs, gw) && !bound.contains(vs)) {
                    bound.add(vs);
                } else if (GatewayBinding.names(vs.gateways(), vs.metadata().namespace(), gw)
                        && !GatewayBinding.binds(vs, gw)) {
                    notes.add(new TranslationNote(vs.key().toString(), "spec.exportTo " + vs.exportTo()
                            + " does not export it to namespace " + gw.metadata().namespace() + " of Gateway "
                            + GatewayBinding.ref(gw) + "; not served there"));
                }
            }
        }
        if (servers.isEmpty()) {
            notes.add(new TranslationNote("gateway " + scope.id(), "no Gateway server selects labels "
                    + scope.labels() + "; the gateway is served no listener"));
        }
        bound.forEach(vs -> noteUnserved(vs, servers, notes));
        Map<VirtualService, List<ServedRoute>> served = VirtualServiceTranslator.served(bound,
                model.virtualServices(), notes);
        GatewayLayout.Layout layout = GatewayLayout.layout(servers, bound, served, index, scope, notes);
        return new MeshIr(layout.listeners(), layout.routeTables(),
                SidecarLayout.clusters(view.backends(), view.services()), notes);
    }

    /** Notes a bound VirtualService none of whose hosts any served server of its Gateways takes. */
    private static void noteUnserved(VirtualService vs, List<GatewayServer> servers, List<TranslationNote> notes) {
        boolean any = servers.stream().anyMatch(s -> GatewayBinding.binds(vs, s.gateway())
                && !GatewayBinding.hosts(vs, s.server(), s.gateway()).isEmpty());
        if (!any) {
            notes.add(new TranslationNote(vs.key().toString(), "spec.hosts " + vs.hosts() + ": no served server of"
                    + " the Gateways it names takes one of them; nothing is routed for it on this gateway"));
        }
    }
}
