package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.TlsMatch;
import meshlog.gatewayapi.model.VirtualService.TlsRoute;
import meshlog.reconciler.ir.GatewayChainIr;
import meshlog.reconciler.ir.L4ChainIr;
import meshlog.reconciler.ir.TranslationNote;
import meshlog.reconciler.ir.WeightedBackendIr;

/**
 * A PASSTHROUGH server's filter chains: each {@code tls[].match[]} entry of a bound VirtualService that applies to
 * the gateway becomes a chain taking the entry's {@code sniHosts} that the server's hosts cover (intersected as
 * {@link GatewayBinding} intersects hosts) and proxying the connection, still encrypted, to the route's
 * destinations. An entry applies when its {@code port} is the server's (or unset), its {@code gateways} name the
 * Gateway (or are unset), and its {@code sourceLabels} and {@code sourceNamespace} select the gateway proxy.
 */
final class GatewayPassthrough {

    private GatewayPassthrough() {
    }

    static List<GatewayChainIr> chains(GatewayServer s, List<VirtualService> bound, ServiceIndex index,
                                       ProxyScope scope, List<TranslationNote> notes) {
        List<GatewayChainIr> out = new ArrayList<>();
        for (VirtualService vs : bound) {
            if (!GatewayBinding.binds(vs, s.gateway())) {
                continue;
            }
            for (int i = 0; i < vs.tls().size(); i++) {
                TlsRoute route = vs.tls().get(i);
                String path = "spec.tls[" + i + "]";
                List<WeightedBackendIr> backends = DestinationResolver.resolve(vs, route.route(), path,
                        s.asRouteContext(), index, notes);
                if (backends.isEmpty()) {
                    continue;
                }
                for (int j = 0; j < route.match().size(); j++) {
                    L4ChainIr chain = chain(vs, route.match().get(j), path + ".match[" + j + "]", s, backends, scope,
                            notes);
                    if (chain != null) {
                        out.add(new GatewayChainIr.Passthrough(chain));
                    }
                }
            }
        }
        return out;
    }

    private static L4ChainIr chain(VirtualService vs, TlsMatch m, String path, GatewayServer s,
                                   List<WeightedBackendIr> backends, ProxyScope scope, List<TranslationNote> notes) {
        String why = null;
        if (m.port() != 0 && m.port() != s.port()) {
            why = "port " + m.port() + " is not the server's port " + s.port();
        } else if (!m.gateways().isEmpty() && !GatewayBinding.names(m.gateways(), vs.metadata().namespace(),
                s.gateway())) {
            why = "gateways do not name " + GatewayBinding.ref(s.gateway());
        } else if (!scope.labels().entrySet().containsAll(m.sourceLabels().entrySet())) {
            why = "sourceLabels " + new TreeMap<>(m.sourceLabels()) + " do not select this gateway";
        } else if (!m.sourceNamespace().isEmpty() && !m.sourceNamespace().equals(scope.namespace())) {
            why = "sourceNamespace " + m.sourceNamespace() + " is not this gateway's namespace";
        }
        List<String> sni = why == null ? GatewayBinding.hosts(m.sniHosts(), vs.metadata().namespace(), s.server(),
                s.gateway()) : List.of();
        if (why == null && sni.isEmpty()) {
            why = "no sniHost is among the server's hosts " + s.server().hosts();
        }
        if (why != null) {
            notes.add(new TranslationNote(vs.key().toString(), path + " (for " + s.origin() + " " + s.path() + "): "
                    + why + "; this match entry is left out"));
            return null;
        }
        List<String> names = sni.contains("*") ? List.of() : sni;
        return new L4ChainIr(names, m.destinationSubnets(), List.of(), backends,
                backends.get(0).backend().clusterName());
    }
}
