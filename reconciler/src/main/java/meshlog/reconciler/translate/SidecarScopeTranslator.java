package meshlog.reconciler.translate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.model.ServiceEntry;
import meshlog.gatewayapi.model.Sidecar;
import meshlog.reconciler.ir.BackendIr;
import meshlog.reconciler.ir.BlackHoleClusterIr;
import meshlog.reconciler.ir.ClusterIr;
import meshlog.reconciler.ir.HttpListenerIr;
import meshlog.reconciler.ir.InboundListenerIr;
import meshlog.reconciler.ir.InboundTlsIr;
import meshlog.reconciler.ir.TcpListenerIr;
import meshlog.reconciler.ir.ListenerIr;
import meshlog.reconciler.ir.MeshIr;
import meshlog.reconciler.ir.RouteActionIr;
import meshlog.reconciler.ir.RouteIr;
import meshlog.reconciler.ir.RoutePolicyIr;
import meshlog.reconciler.ir.RouteTableIr;
import meshlog.reconciler.ir.TextMatchIr;
import meshlog.reconciler.ir.TranslationNote;
import meshlog.reconciler.ir.VirtualHostIr;
import meshlog.reconciler.ir.VirtualOutboundIr;

/**
 * One Envoy sidecar scope: the {@code Sidecar} that applies to it ({@link SidecarSelector}) narrows the services
 * it sees ({@link SidecarEgress}); the outbound side is {@link SidecarLayout}'s, with the outbound traffic policy
 * applied; the inbound side is {@link InboundLayout}'s, accepting what the PeerAuthentications say
 * ({@link PeerAuthenticationTranslator}).
 *
 * <p>Clusters are those of the admitted services plus those their routes send to (Istio adds the destinations of
 * the VirtualServices a Sidecar imports, so a route never names a missing cluster). With REGISTRY_ONLY, what no
 * service claims is refused as Istio refuses it: {@code virtualOutbound}'s fallback goes to {@code BlackHoleCluster},
 * and each route configuration's catch-all is Istio's {@code block_all} (a 502 answer) instead of {@code allow_any}.
 */
final class SidecarScopeTranslator {

    private SidecarScopeTranslator() {
    }

    static MeshIr translate(List<ServiceRoutes> allRoutes, List<BackendIr> allBackends, List<ServiceEntry> entries,
                            List<Sidecar> sidecars, InboundTlsIr inboundTls, ProxyScope scope,
                            List<TranslationNote> notes) {
        Sidecar sidecar = SidecarSelector.select(sidecars, scope, notes);
        SidecarEgress egress = sidecar == null ? SidecarEgress.NONE : new SidecarEgress(sidecar);
        List<ServiceRoutes> routes = allRoutes.stream().filter(r -> egress.admits(r.service())).toList();
        Set<String> needed = new HashSet<>();
        for (ServiceRoutes r : routes) {
            needed.add(r.service().name());
            for (RouteIr route : r.routes()) {
                route.backends().forEach(b -> needed.add(b.backend().host() + ":" + b.backend().port()));
                if (route.action() instanceof RouteActionIr.Forward f) {
                    f.mirrors().forEach(m -> needed.add(m.backend().host() + ":" + m.backend().port()));
                }
            }
        }
        List<BackendIr> backends = allBackends.stream()
                .filter(b -> needed.contains(b.ref().host() + ":" + b.ref().port())).toList();
        SidecarLayout.Layout out = SidecarLayout.layout(routes, backends, scope, notes);
        List<ListenerIr> listeners = new ArrayList<>(out.listeners());
        List<RouteTableIr> tables = out.routeTables();
        if (egress.registryOnly()) {
            listeners.replaceAll(l -> l instanceof VirtualOutboundIr
                    ? VirtualOutboundIr.of(BlackHoleClusterIr.INSTANCE.name()) : l);
            tables = tables.stream().map(SidecarScopeTranslator::blockAll).toList();
        }
        InboundLayout.Inbound inbound = InboundLayout.layout(entries, sidecar, scope, inboundTls, notes);
        dropClashes(listeners, inbound.listeners(), sidecar == null ? "" : sidecar.key().toString(), notes);
        listeners.addAll(inbound.listeners());
        listeners.sort(Comparator.comparing(ListenerIr::name));
        List<ClusterIr> clusters = new ArrayList<>(out.clusters());
        clusters.addAll(inbound.clusters());
        clusters.sort(Comparator.comparing(ClusterIr::name));
        return new MeshIr(listeners, tables, clusters, notes);
    }

    /**
     * A port Envoy binds for its workload (a Sidecar ingress listener) cannot also be an outbound listener Envoy
     * binds, nor share its name: the workload's own listener wins, the outbound one is left out.
     */
    private static void dropClashes(List<ListenerIr> outbound, List<ListenerIr> inbound, String origin,
                                    List<TranslationNote> notes) {
        Set<Integer> ports = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (ListenerIr l : inbound) {
            if (l instanceof InboundListenerIr b) {
                ports.add(b.port());
                names.add(b.name());
            }
        }
        outbound.removeIf(l -> {
            boolean clash = names.contains(l.name())
                    || (l instanceof HttpListenerIr h && h.bindToPort() && ports.contains(h.port()))
                    || (l instanceof TcpListenerIr t && t.bindToPort() && ports.contains(t.port()));
            if (clash) {
                notes.add(new TranslationNote(origin, "outbound listener " + l.name() + " left out: the "
                        + "Sidecar's ingress listener binds the same port"));
            }
            return clash;
        });
    }

    /** Istio's {@code block_all} in place of {@code allow_any}: requests for hosts no service claims get 502. */
    private static RouteTableIr blockAll(RouteTableIr table) {
        List<VirtualHostIr> hosts = table.virtualHosts().stream().map(vh -> !vh.name().equals("allow_any") ? vh
                : new VirtualHostIr("block_all", List.of("*"), List.of(new RouteIr("block_all",
                        TextMatchIr.ANY_PATH, List.of(), new RouteActionIr.DirectResponse(502, null),
                        new RoutePolicyIr(Duration.ZERO, null))))).toList();
        return new RouteTableIr(table.name(), hosts);
    }
}
