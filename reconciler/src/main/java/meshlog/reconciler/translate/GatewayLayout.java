package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.delegation.Delegation.ServedRoute;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.reconciler.ir.GatewayChainIr;
import meshlog.reconciler.ir.GatewayListenerIr;
import meshlog.reconciler.ir.HttpFilterIr;
import meshlog.reconciler.ir.ListenerIr;
import meshlog.reconciler.ir.RouteActionIr;
import meshlog.reconciler.ir.RouteIr;
import meshlog.reconciler.ir.RouteMatchIr;
import meshlog.reconciler.ir.RoutePolicyIr;
import meshlog.reconciler.ir.RouteTableIr;
import meshlog.reconciler.ir.TranslationNote;
import meshlog.reconciler.ir.VirtualHostIr;

/**
 * How an Envoy gateway lays out its servers, as Istio's gateway listeners:
 *
 * <ul>
 *   <li>per server port P a listener {@code 0.0.0.0_P}, bound by the gateway ({@code <bind>_P} on the servers'
 *       {@code bind} address; the servers of one port must agree on it);</li>
 *   <li>the plain-text HTTP servers of P share one filter chain and route table {@code http.P};</li>
 *   <li>each HTTPS server gets a filter chain chosen by SNI (its hosts; any SNI for {@code *}) that terminates TLS
 *       and routes with table {@code https.P.<portName>.<gateway>.<ns>};</li>
 *   <li>a PASSTHROUGH server's VirtualService {@code tls[]} routes become filter chains by SNI proxying TCP
 *       ({@link GatewayPassthrough});</li>
 *   <li>a route table has a virtual host {@code <host>:P} per host served (domains {@code host} and
 *       {@code host:*}, or {@code *} alone), the routes of every VirtualService bound for that host in
 *       namespace/name order (Istio merges them on gateways); with none, {@code blackhole:P} (404 for every
 *       request);</li>
 *   <li>a server with {@code tls.httpsRedirect} answers each of its hosts with a 301 to {@code https}.</li>
 * </ul>
 *
 * <p>Plain-text and TLS servers cannot share a port (Envoy could not tell them apart): the first by Gateway and
 * index wins, the others are noted; so is a second chain for the same SNI names.
 */
final class GatewayLayout {

    private GatewayLayout() {
    }

    record Layout(List<ListenerIr> listeners, List<RouteTableIr> routeTables) {
    }

    static Layout layout(List<GatewayServer> servers, List<VirtualService> bound,
                         Map<VirtualService, List<ServedRoute>> served, ServiceIndex index, ProxyScope scope,
                         List<TranslationNote> notes) {
        Map<Integer, List<GatewayServer>> byPort = new TreeMap<>();
        servers.forEach(s -> byPort.computeIfAbsent(s.port(), p -> new ArrayList<>()).add(s));
        List<ListenerIr> listeners = new ArrayList<>();
        List<RouteTableIr> tables = new ArrayList<>();
        Routes routes = new Routes(bound, served, index, scope, notes);
        byPort.forEach((port, onPort) -> {
            List<GatewayChainIr> chains = chains(port, onPort, routes, tables, notes);
            String address = onPort.get(0).address();
            if (chains.isEmpty()) {
                notes.add(new TranslationNote(onPort.get(0).origin(), onPort.get(0).path() + ": nothing to serve on"
                        + " port " + port + " (no route applies); no listener"));
            } else {
                listeners.add(new GatewayListenerIr(address + "_" + port, address, port, chains));
            }
        });
        listeners.sort(Comparator.comparing(ListenerIr::name));
        tables.sort(Comparator.comparing(RouteTableIr::name));
        return new Layout(listeners, tables);
    }

    private static List<GatewayChainIr> chains(int port, List<GatewayServer> onPort, Routes routes,
                                               List<RouteTableIr> tables, List<TranslationNote> notes) {
        boolean plain = onPort.get(0).kind() == GatewayServer.Kind.PLAIN;
        String stat = "outbound_" + onPort.get(0).address() + "_" + port;
        List<GatewayChainIr> chains = new ArrayList<>();
        List<GatewayServer> plainServers = new ArrayList<>();
        Set<List<String>> taken = new HashSet<>();
        for (GatewayServer s : onPort) {
            if (!s.address().equals(onPort.get(0).address())) {
                notes.add(new TranslationNote(s.origin(), s.path() + ".bind: port " + port + " is already bound to "
                        + onPort.get(0).address() + " by " + onPort.get(0).origin() + " " + onPort.get(0).path()
                        + "; server not served"));
            } else if ((s.kind() == GatewayServer.Kind.PLAIN) != plain) {
                notes.add(new TranslationNote(s.origin(), s.path() + ": port " + port + " is already served "
                        + (plain ? "as plain text" : "with TLS") + " by " + onPort.get(0).origin() + " "
                        + onPort.get(0).path() + "; server not served"));
            } else if (plain) {
                plainServers.add(s);
            } else if (s.kind() == GatewayServer.Kind.TERMINATED) {
                GatewayChainIr.Http chain = new GatewayChainIr.Http(sni(s), s.tls(), s.httpsRouteTable(), stat,
                        HttpFilterIr.SIDECAR_OUTBOUND);
                if (claim(chain, s, taken, notes)) {
                    chains.add(chain);
                    tables.add(new RouteTableIr(chain.routeTable(), routes.virtualHosts(List.of(s), port)));
                }
            } else {
                GatewayPassthrough.chains(s, routes.bound, routes.index, routes.scope, routes.notes)
                        .stream().filter(c -> claim(c, s, taken, notes)).forEach(chains::add);
            }
        }
        if (!plainServers.isEmpty()) {
            String name = "http." + port;
            chains.add(new GatewayChainIr.Http(List.of(), null, name, stat, HttpFilterIr.SIDECAR_OUTBOUND));
            tables.add(new RouteTableIr(name, routes.virtualHosts(plainServers, port)));
        }
        return chains;
    }

    /** Whether no earlier chain of the port takes the same SNI names (noted when one does). */
    private static boolean claim(GatewayChainIr chain, GatewayServer s, Set<List<String>> taken,
                                 List<TranslationNote> notes) {
        if (taken.add(chain.serverNames().stream().sorted().toList())) {
            return true;
        }
        notes.add(new TranslationNote(s.origin(), s.path() + ": SNI " + (chain.serverNames().isEmpty() ? "(any)"
                : chain.serverNames()) + " on port " + s.port() + " is already taken by an earlier server or"
                + " route; not served again"));
        return false;
    }

    /** The SNI names of a terminating server: its hosts without namespaces; none (any SNI) if one is {@code *}. */
    static List<String> sni(GatewayServer s) {
        List<String> out = new ArrayList<>();
        for (String h : s.server().hosts()) {
            String host = h.substring(h.indexOf('/') + 1);
            if (host.equals("*")) {
                return List.of();
            }
            if (!out.contains(host)) {
                out.add(host);
            }
        }
        return out;
    }

    /** The VirtualServices bound to the selected Gateways, and what their hosts' virtual hosts hold. */
    private record Routes(List<VirtualService> bound, Map<VirtualService, List<ServedRoute>> served,
                          ServiceIndex index, ProxyScope scope, List<TranslationNote> notes) {

        List<VirtualHostIr> virtualHosts(List<GatewayServer> servers, int port) {
            Map<String, List<RouteIr>> byHost = new LinkedHashMap<>();
            for (GatewayServer s : servers) {
                for (VirtualService vs : bound) {
                    if (!GatewayBinding.binds(vs, s.gateway()) || vs.http().isEmpty()) {
                        continue;
                    }
                    List<String> hosts = GatewayBinding.hosts(vs, s.server(), s.gateway());
                    if (hosts.isEmpty()) {
                        continue; // the VirtualService is for another server (GatewayTranslator notes one for none)
                    }
                    List<RouteIr> routes = s.httpsRedirect() ? List.of(HTTPS_REDIRECT)
                            : HttpRouteTranslator.translate(served.get(vs), s.asRouteContext(), index, scope,
                            SidecarLayout.DEFAULT_POLICY, notes);
                    for (String host : hosts) {
                        List<RouteIr> list = byHost.computeIfAbsent(host, h -> new ArrayList<>());
                        if (!list.contains(HTTPS_REDIRECT)) {
                            list.addAll(routes);
                        }
                    }
                }
            }
            List<VirtualHostIr> out = new ArrayList<>();
            byHost.forEach((host, routes) -> out.add(new VirtualHostIr(host + ":" + port, domains(host), routes)));
            if (out.isEmpty()) {
                out.add(new VirtualHostIr("blackhole:" + port, List.of("*"), List.of()));
            }
            return out;
        }
    }

    /** Istio's {@code require_tls: ALL} as a route: every request gets a 301 to the same URL over https. */
    static final RouteIr HTTPS_REDIRECT = new RouteIr("https_redirect", RouteMatchIr.ANY,
            new RouteActionIr.Redirect("", "", "", 0, "https", 301), RoutePolicyIr.NONE,
            meshlog.reconciler.ir.HeaderOpsIr.NONE, null, null);

    /** {@code host} and {@code host:*} (any port in the authority); a wildcard host alone. */
    static List<String> domains(String host) {
        return host.contains("*") ? List.of(host) : List.of(host, host + ":*");
    }
}
