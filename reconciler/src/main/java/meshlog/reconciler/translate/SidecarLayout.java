package meshlog.reconciler.translate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import meshlog.configstore.scope.ProxyScope;
import meshlog.reconciler.ir.BackendIr;
import meshlog.reconciler.ir.BlackHoleClusterIr;
import meshlog.reconciler.ir.ClusterIr;
import meshlog.reconciler.ir.ClusterPolicyIr;
import meshlog.reconciler.ir.HttpFilterIr;
import meshlog.reconciler.ir.HttpListenerIr;
import meshlog.reconciler.ir.ListenerIr;
import meshlog.reconciler.ir.PassthroughClusterIr;
import meshlog.reconciler.ir.RouteActionIr;
import meshlog.reconciler.ir.RouteIr;
import meshlog.reconciler.ir.RoutePolicyIr;
import meshlog.reconciler.ir.RouteTableIr;
import meshlog.reconciler.ir.ServiceIr;
import meshlog.reconciler.ir.TextMatchIr;
import meshlog.reconciler.ir.TranslationNote;
import meshlog.reconciler.ir.VirtualHostIr;
import meshlog.reconciler.ir.VirtualOutboundIr;

/**
 * How an Envoy sidecar sees the routes, as Istio lays out its outbound side:
 *
 * <ul>
 *   <li>per HTTP service port P a listener {@code 0.0.0.0_P} (traffic captured by iptables: not bound, reached
 *       through {@code virtualOutbound} on 15001) or {@code 127.0.0.1_P} (interception NONE: bound, as Istio binds
 *       egress listeners to localhost without capture), using route table {@code P};</li>
 *   <li>route table {@code P}: a virtual host {@code <host>:P} per service on that port, answering for the host, its
 *       short names within the proxy's namespace ({@code name}, {@code name.ns}, {@code name.ns.svc}), each with and
 *       without {@code :P}; last {@code allow_any} ({@code *} to {@code PassthroughCluster}: outbound policy
 *       ALLOW_ANY, Istio's default);</li>
 *   <li>clusters: every backend, HTTP/2 to ports of protocol GRPC or HTTP2, plus {@code PassthroughCluster} and
 *       {@code BlackHoleCluster};</li>
 *   <li>routes without a timeout get none ({@code 0s}) and Istio's default retry policy.</li>
 * </ul>
 *
 * <p>TCP ports (TCP, MONGO, MYSQL, REDIS) and TLS ports (TLS, HTTPS) get listeners of filter chains with
 * tcp_proxy ({@link L4RouteTranslator}, {@link L4Layout}); the virtual hosts of HTTP services also answer for the
 * services' VIPs, bare and with {@code :port}, as Istio's do.
 */
final class SidecarLayout {

    /** Istio's retries when a route sets none: 2 attempts on connection-level failures and 503. */
    static final RoutePolicyIr DEFAULT_POLICY = new RoutePolicyIr(Duration.ZERO, new RoutePolicyIr.RetryIr(2,
            "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes", null, List.of(503)));

    private static final Set<String> HTTP_PROTOCOLS = Set.of("HTTP", "HTTP2", "GRPC", "GRPC-WEB", "");
    private static final Set<String> HTTP2_PROTOCOLS = Set.of("HTTP2", "GRPC");
    private static final String CLUSTER_DOMAIN = ".svc.cluster.local";

    private SidecarLayout() {
    }

    /** The listeners, route tables and clusters of one sidecar scope. */
    record Layout(List<ListenerIr> listeners, List<RouteTableIr> routeTables, List<ClusterIr> clusters) {
    }

    static Layout layout(List<ServiceRoutes> routes, List<BackendIr> backends, ProxyScope scope,
                         List<TranslationNote> notes) {
        Map<Integer, List<ServiceRoutes>> byPort = new TreeMap<>();
        List<ServiceRoutes> l4 = new ArrayList<>();
        for (ServiceRoutes r : routes) {
            String protocol = r.service().protocol().toUpperCase(java.util.Locale.ROOT);
            if (HTTP_PROTOCOLS.contains(protocol)) {
                byPort.computeIfAbsent(r.service().port(), p -> new ArrayList<>()).add(r);
            } else if (L4RouteTranslator.isTcp(r.service()) || L4RouteTranslator.isTls(r.service())) {
                l4.add(r);
            } else {
                notes.add(new TranslationNote(r.service().origin(), r.service().name() + " (protocol " + protocol
                        + "): Envoy sidecars are served HTTP, TCP and TLS ports only so far; no listener for it"));
            }
        }
        boolean captured = scope.interception() == ProxyScope.Interception.REDIRECT;
        String address = captured ? "0.0.0.0" : "127.0.0.1";
        List<ListenerIr> listeners = new ArrayList<>();
        List<RouteTableIr> tables = new ArrayList<>();
        Set<String> httpNames = new HashSet<>();
        byPort.forEach((port, services) -> {
            String name = address + "_" + port;
            httpNames.add(name);
            listeners.add(new HttpListenerIr(name, address, port, !captured, String.valueOf(port),
                    HttpFilterIr.SIDECAR_OUTBOUND, "outbound_" + name));
            tables.add(routeTable(port, services, scope.namespace(), notes));
        });
        listeners.addAll(L4Layout.listeners(l4, httpNames, address, !captured, notes));
        if (captured) {
            listeners.add(VirtualOutboundIr.of(PassthroughClusterIr.OUTBOUND.name()));
        }
        listeners.sort(Comparator.comparing(ListenerIr::name));
        tables.sort(Comparator.comparing(RouteTableIr::name));
        return new Layout(listeners, tables, clusters(backends, routes.stream().map(ServiceRoutes::service).toList()));
    }

    private static RouteTableIr routeTable(int port, List<ServiceRoutes> services, String namespace,
                                           List<TranslationNote> notes) {
        Set<String> taken = new HashSet<>();
        List<VirtualHostIr> hosts = new ArrayList<>();
        for (ServiceRoutes r : services) {
            List<String> domains = new ArrayList<>();
            for (String d : domains(r.service(), namespace)) {
                if (taken.add(d)) {
                    domains.add(d);
                } else {
                    notes.add(new TranslationNote(r.service().origin(), "domain " + d + " of " + r.service().name()
                            + " is already answered by another service on port " + port + "; not added"));
                }
            }
            hosts.add(new VirtualHostIr(r.service().name(), domains, r.routes()));
        }
        hosts.add(new VirtualHostIr("allow_any", List.of("*"), List.of(new RouteIr("allow_any",
                TextMatchIr.ANY_PATH, List.of(), new RouteActionIr.ToCluster(PassthroughClusterIr.OUTBOUND.name()),
                new RoutePolicyIr(Duration.ZERO, null)))));
        return new RouteTableIr(String.valueOf(port), hosts);
    }

    /**
     * The namespace in whose DNS search path {@code host}'s short name resolves: {@code ns} for
     * {@code <name>.<ns>.svc.cluster.local}, else null (a ServiceEntry's own host, say, which has no short form).
     */
    static String shortNameNamespace(String host) {
        if (!host.endsWith(CLUSTER_DOMAIN)) {
            return null;
        }
        String[] parts = host.substring(0, host.length() - CLUSTER_DOMAIN.length()).split("\\.", -1);
        return parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty() ? parts[1] : null;
    }

    /**
     * The authorities a service port answers for: the host, its VIPs, then its shorter forms a client in
     * {@code namespace} may use, each bare and with {@code :port}.
     */
    static List<String> domains(ServiceIr service, String namespace) {
        String host = service.host();
        List<String> names = new ArrayList<>(List.of(host));
        service.addresses().forEach(a -> names.add(a.contains(":") ? "[" + a + "]" : a)); // Host form of IPv6
        String ns = shortNameNamespace(host);
        if (ns != null) {
            String name = host.substring(0, host.length() - CLUSTER_DOMAIN.length() - ns.length() - 1);
            names.add(name + "." + ns + ".svc");
            names.add(name + "." + ns);
            if (ns.equals(namespace)) {
                names.add(name);
            }
        }
        List<String> out = new ArrayList<>();
        for (String n : names) {
            out.add(n);
            out.add(n + ":" + service.port());
        }
        return out;
    }

    /**
     * What Istio gives a sidecar's cluster when the DestinationRule does not say: LEAST_REQUEST, and circuit-breaker
     * thresholds at their maximum (Envoy's own defaults of 1,024 would throttle a busy service).
     */
    static BackendIr withIstioDefaults(BackendIr b) {
        ClusterPolicyIr p = b.policy();
        ClusterPolicyIr.Limits l = p.limits() == null ? new ClusterPolicyIr.Limits(null, null, null, null) : p.limits();
        ClusterPolicyIr.Limits filled = new ClusterPolicyIr.Limits(orMax(l.maxConnections()),
                orMax(l.maxPendingRequests()), orMax(l.maxRequests()), orMax(l.maxRetries()));
        return b.withPolicy(p.withLb(p.lb() == null ? ClusterPolicyIr.Lb.LEAST_REQUEST : p.lb()).withLimits(filled));
    }

    /** Istio's "unlimited": uint32 max, held in an int as its bit pattern. */
    private static Integer orMax(Integer v) {
        return v != null ? v : (int) 0xFFFF_FFFFL;
    }

    /** Every backend with Istio's defaults (HTTP/2 to HTTP2 and GRPC ports), PassthroughCluster, BlackHoleCluster. */
    static List<ClusterIr> clusters(List<BackendIr> backends, List<ServiceIr> services) {
        Set<String> http2Services = new HashSet<>();
        for (ServiceIr s : services) {
            if (HTTP2_PROTOCOLS.contains(s.protocol().toUpperCase(java.util.Locale.ROOT))) {
                http2Services.add(s.name());
            }
        }
        List<ClusterIr> out = new ArrayList<>();
        for (BackendIr b : backends) {
            out.add(withIstioDefaults(b).withHttp2(http2Services.contains(b.ref().host() + ":" + b.ref().port())));
        }
        out.add(PassthroughClusterIr.OUTBOUND);
        out.add(BlackHoleClusterIr.INSTANCE);
        out.sort(Comparator.comparing(ClusterIr::name));
        return out;
    }
}
