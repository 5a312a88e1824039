package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.L4Match;
import meshlog.gatewayapi.model.VirtualService.TcpRoute;
import meshlog.gatewayapi.model.VirtualService.TlsMatch;
import meshlog.gatewayapi.model.VirtualService.TlsRoute;
import meshlog.reconciler.ir.BackendRef;
import meshlog.reconciler.ir.L4ChainIr;
import meshlog.reconciler.ir.ServiceIr;
import meshlog.reconciler.ir.TranslationNote;
import meshlog.reconciler.ir.WeightedBackendIr;

/**
 * The {@code tcp[]} and {@code tls[]} routes of a VirtualService for one TCP or TLS service port of an Envoy
 * sidecar, as Istio's outbound TCP/TLS listeners take them: one filter chain per match entry that applies.
 *
 * <ul>
 *   <li>A TLS port (protocol TLS or HTTPS) takes {@code tls[]}: each entry's {@code sniHosts} become the chain's
 *       server names, {@code destinationSubnets} its destination prefixes. When no entry applies, the service's
 *       own chain: its host as SNI without a VIP, any SNI with one (the listener is the VIP's alone).</li>
 *   <li>A TCP port takes {@code tcp[]}: {@code destinationSubnets} and {@code sourceSubnet} become the chain's
 *       prefixes; an entry with neither, or a route with no match, takes every connection, and the routes after it
 *       are not reached. Without such a route the service's own chain takes what is left.</li>
 *   <li>An entry whose {@code port}, {@code gateways}, {@code sourceLabels} or {@code sourceNamespace} does not
 *       select this proxy is left out (noted), never widened; a route with no backend is skipped (noted).</li>
 *   <li>Weighted destinations as in {@code http[]} ({@link DestinationResolver}).</li>
 * </ul>
 */
final class L4RouteTranslator {

    /** Served as opaque TCP: Istio proxies these protocols with tcp_proxy (MONGO, MYSQL, REDIS without filters). */
    static final Set<String> TCP_PROTOCOLS = Set.of("TCP", "MONGO", "MYSQL", "REDIS");
    /** Passed through by SNI, not terminated (Istio's {@code protocol.IsTLS}). */
    static final Set<String> TLS_PROTOCOLS = Set.of("TLS", "HTTPS");

    private L4RouteTranslator() {
    }

    static boolean isTcp(ServiceIr s) {
        return TCP_PROTOCOLS.contains(s.protocol().toUpperCase(Locale.ROOT));
    }

    static boolean isTls(ServiceIr s) {
        return TLS_PROTOCOLS.contains(s.protocol().toUpperCase(Locale.ROOT));
    }

    /** @param vs the VirtualService routing the service's host, or null */
    static List<L4ChainIr> chains(VirtualService vs, ServiceIr service, ServiceIndex index, ProxyScope scope,
                                  List<TranslationNote> notes) {
        List<L4ChainIr> out = new ArrayList<>();
        boolean tls = isTls(service);
        boolean covered = vs != null && (tls ? tls(vs, service, index, scope, out, notes)
                : tcp(vs, service, index, scope, out, notes));
        if (!covered) {
            BackendRef own = new BackendRef(service.host(), service.port(), "");
            List<String> sni = tls && service.vip().isEmpty() ? List.of(service.host()) : List.of();
            out.add(new L4ChainIr(sni, List.of(), List.of(), List.of(new WeightedBackendIr(own, 100)),
                    own.clusterName()));
        }
        return out;
    }

    /** @return whether a route applied (then the service's own chain is not added) */
    private static boolean tls(VirtualService vs, ServiceIr service, ServiceIndex index, ProxyScope scope,
                               List<L4ChainIr> out, List<TranslationNote> notes) {
        boolean any = false;
        for (int i = 0; i < vs.tls().size(); i++) {
            TlsRoute route = vs.tls().get(i);
            String path = "spec.tls[" + i + "]";
            List<WeightedBackendIr> backends = DestinationResolver.resolve(vs, route.route(), path, service, index,
                    notes);
            if (backends.isEmpty()) {
                continue;
            }
            for (int j = 0; j < route.match().size(); j++) {
                TlsMatch m = route.match().get(j);
                if (applies(vs, path + ".match[" + j + "]", m.port(), m.gateways(), m.sourceLabels(),
                        m.sourceNamespace(), service, scope, notes)) {
                    out.add(new L4ChainIr(m.sniHosts(), m.destinationSubnets(), List.of(), backends,
                            statPrefix(backends, service)));
                    any = true;
                }
            }
        }
        return any;
    }

    /** @return whether a route took every remaining connection */
    private static boolean tcp(VirtualService vs, ServiceIr service, ServiceIndex index, ProxyScope scope,
                               List<L4ChainIr> out, List<TranslationNote> notes) {
        for (int i = 0; i < vs.tcp().size(); i++) {
            TcpRoute route = vs.tcp().get(i);
            String path = "spec.tcp[" + i + "]";
            List<WeightedBackendIr> backends = DestinationResolver.resolve(vs, route.route(), path, service, index,
                    notes);
            if (backends.isEmpty()) {
                continue;
            }
            String stat = statPrefix(backends, service);
            if (route.match().isEmpty()) {
                out.add(new L4ChainIr(List.of(), List.of(), List.of(), backends, stat));
                return true;
            }
            for (int j = 0; j < route.match().size(); j++) {
                L4Match m = route.match().get(j);
                if (!applies(vs, path + ".match[" + j + "]", m.port(), m.gateways(), m.sourceLabels(),
                        m.sourceNamespace(), service, scope, notes)) {
                    continue;
                }
                List<String> sources = m.sourceSubnet().isEmpty() ? List.of() : List.of(m.sourceSubnet());
                out.add(new L4ChainIr(List.of(), m.destinationSubnets(), sources, backends, stat));
                if (m.destinationSubnets().isEmpty() && sources.isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean applies(VirtualService vs, String path, int port, List<String> gateways,
                                   Map<String, String> sourceLabels, String sourceNamespace, ServiceIr service,
                                   ProxyScope scope, List<TranslationNote> notes) {
        String why = null;
        if (port != 0 && port != service.port()) {
            why = "port " + port + " is not this listener's port " + service.port();
        } else if (!gateways.isEmpty() && !gateways.contains(VirtualService.MESH_GATEWAY)) {
            why = "gateways do not include mesh";
        } else if (!scope.labels().entrySet().containsAll(sourceLabels.entrySet())) {
            why = "sourceLabels " + new TreeMap<>(sourceLabels) + " do not select this workload";
        } else if (!sourceNamespace.isEmpty() && !sourceNamespace.equals(scope.namespace())) {
            why = "sourceNamespace " + sourceNamespace + " is not this proxy's namespace";
        }
        if (why != null) {
            notes.add(new TranslationNote(vs.key().toString(), path + " (for " + service.name() + ", " + scope.id()
                    + "): " + why + "; this match entry is left out for that proxy"));
        }
        return why == null;
    }

    /** Istio's: the cluster of a single destination; the service's own cluster name for a split. */
    private static String statPrefix(List<WeightedBackendIr> backends, ServiceIr service) {
        return backends.size() == 1 ? backends.get(0).backend().clusterName()
                : new BackendRef(service.host(), service.port(), "").clusterName();
    }
}
