package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.model.ServiceEntry;
import meshlog.gatewayapi.model.Sidecar;
import meshlog.gatewayapi.model.Sidecar.CaptureMode;
import meshlog.gatewayapi.model.Sidecar.IngressListener;
import meshlog.reconciler.ir.ClusterIr;
import meshlog.reconciler.ir.InboundChainIr;
import meshlog.reconciler.ir.InboundClusterIr;
import meshlog.reconciler.ir.InboundListenerIr;
import meshlog.reconciler.ir.InboundTlsIr;
import meshlog.reconciler.ir.ListenerIr;
import meshlog.reconciler.ir.TranslationNote;
import meshlog.reconciler.ir.VirtualInboundIr;

/**
 * The inbound side of an Envoy sidecar (traffic to its own workload), as Istio's {@code buildInboundListeners}
 * lays it out:
 *
 * <ul>
 *   <li>Without a Sidecar {@code ingress}: the workload's ports are those of the services that select it, i.e.
 *       the ServiceEntries of its namespace whose {@code workloadSelector} labels it carries; per port (the
 *       {@code targetPort}, else the number) a chain {@code 0.0.0.0_<port>} in {@code virtualInbound} to cluster
 *       {@code inbound|<port>||}, ORIGINAL_DST from 127.0.0.6 (what Istio does since 1.10: the workload is reached
 *       on the address it was called on). Only with capture (REDIRECT): without it Istio builds no inbound
 *       listener from services, as the workload itself listens on those ports.</li>
 *   <li>With a Sidecar {@code ingress}: only its listeners (Istio does not merge them with the services' ports by
 *       default). Captured ones (REDIRECT, capture mode DEFAULT or IPTABLES) become chains of
 *       {@code virtualInbound}; the others (interception NONE, or {@code captureMode: NONE}) listeners Envoy
 *       binds itself, on {@code bind} or 0.0.0.0. The cluster {@code inbound|<port>||} goes to
 *       {@code defaultEndpoint}: STATIC to {@code host:port}, a Unix socket for {@code unix://}, or the original
 *       destination (with its port replaced) for {@code 0.0.0.0:port}.</li>
 *   <li>In REDIRECT mode {@code virtualInbound} (15006) always exists, passing unknown ports through
 *       ({@code InboundPassthroughCluster}).</li>
 * </ul>
 *
 * <p>HTTP ports (HTTP, HTTP2, GRPC, GRPC-WEB, or no protocol) get an HTTP connection manager with one route to the
 * cluster, every other protocol tcp_proxy. Each chain carries the mTLS mode of its port ({@link InboundTlsIr}). Ports of Envoy's own (15000, 15001, 15006, 15020, 15021, 15090) are
 * skipped, as Istio skips ports that clash with its static listeners.
 */
final class InboundLayout {

    static final String WILDCARD = "0.0.0.0";
    private static final Set<String> HTTP_PROTOCOLS = Set.of("HTTP", "HTTP2", "GRPC", "GRPC-WEB", "");
    private static final Set<String> HTTP2_PROTOCOLS = Set.of("HTTP2", "GRPC");
    private static final Set<Integer> PROXY_PORTS = Set.of(15000, 15001, 15006, 15020, 15021, 15090);
    private static final String UNIX = "unix://";

    private InboundLayout() {
    }

    /** The inbound listeners and clusters of one sidecar scope. */
    record Inbound(List<ListenerIr> listeners, List<ClusterIr> clusters) {
    }

    /** @param entries sorted by namespace/name */
    static Inbound layout(List<ServiceEntry> entries, Sidecar sidecar, ProxyScope scope, InboundTlsIr tls,
                          List<TranslationNote> notes) {
        boolean captured = scope.interception() == ProxyScope.Interception.REDIRECT;
        Map<Integer, InboundChainIr> chains = new TreeMap<>();
        List<ListenerIr> listeners = new ArrayList<>();
        Map<String, ClusterIr> clusters = new TreeMap<>();
        if (sidecar != null && !sidecar.ingress().isEmpty()) {
            for (int i = 0; i < sidecar.ingress().size(); i++) {
                ingress(sidecar, i, captured, chains, listeners, clusters, notes);
            }
        } else if (captured) {
            fromServices(entries, scope, chains, clusters, notes);
        }
        if (captured) {
            listeners.add(VirtualInboundIr.of(List.copyOf(chains.values())));
            clusters.put(InboundClusterIr.PASSTHROUGH_NAME, InboundClusterIr.PASSTHROUGH);
        }
        return new Inbound(listeners.stream().map(l -> withTls(l, tls)).toList(), List.copyOf(clusters.values()));
    }

    /** Each chain accepting its port's mode (workload ports: the chain's port), other ports the workload's. */
    private static ListenerIr withTls(ListenerIr l, InboundTlsIr tls) {
        if (l instanceof VirtualInboundIr v) {
            return new VirtualInboundIr(v.name(), v.port(), v.chains().stream()
                    .map(c -> c.withMtls(tls.modeFor(c.port()))).toList(), v.passthroughCluster(),
                    v.blackHoleCluster(), tls.mode());
        } else if (l instanceof InboundListenerIr b) {
            return new InboundListenerIr(b.name(), b.address(), b.port(),
                    b.chain().withMtls(tls.modeFor(b.chain().port())));
        }
        throw new AssertionError(l);
    }

    private static void fromServices(List<ServiceEntry> entries, ProxyScope scope, Map<Integer, InboundChainIr> chains,
                                     Map<String, ClusterIr> clusters, List<TranslationNote> notes) {
        Map<Integer, String> owner = new TreeMap<>();
        for (ServiceEntry se : entries) {
            if (se.workloadSelector() == null || !se.metadata().namespace().equals(scope.namespace())
                    || !SidecarSelector.selects(se.workloadSelector().labels(), scope.labels())) {
                continue;
            }
            for (ServiceEntry.Port p : se.ports()) {
                int port = p.targetPort() != 0 ? p.targetPort() : p.number();
                String origin = se.key().toString();
                if (skipped(port, origin, notes)) {
                    continue;
                }
                String first = owner.putIfAbsent(port, origin);
                if (first != null) {
                    if (!first.equals(origin)) {
                        notes.add(new TranslationNote(origin, "inbound port " + port + " of this workload is "
                                + "already served for " + first + " (first by namespace/name wins); not again"));
                    }
                    continue;
                }
                String protocol = p.protocol().toUpperCase(Locale.ROOT);
                String cluster = InboundClusterIr.nameFor(port);
                chains.put(port, InboundChainIr.of(WILDCARD, port, HTTP_PROTOCOLS.contains(protocol), cluster));
                clusters.put(cluster, new InboundClusterIr(cluster, InboundClusterIr.Kind.ORIGINAL_DST, "", 0, 0,
                        true, HTTP2_PROTOCOLS.contains(protocol)));
            }
        }
    }

    private static void ingress(Sidecar sidecar, int i, boolean captured, Map<Integer, InboundChainIr> chains,
                                List<ListenerIr> listeners, Map<String, ClusterIr> clusters,
                                List<TranslationNote> notes) {
        IngressListener in = sidecar.ingress().get(i);
        String origin = sidecar.key().toString();
        String path = "spec.ingress[" + i + "]";
        int port = in.port() == null ? 0 : in.port().number();
        if (port == 0 || in.bind().startsWith(UNIX)) {
            notes.add(new TranslationNote(origin, path + ": Unix-socket ingress listeners are not served yet"));
            return;
        }
        if (skipped(port, origin, notes)) {
            return;
        }
        boolean bound = in.captureMode() == CaptureMode.NONE || (!captured && in.captureMode() == CaptureMode.DEFAULT);
        if (!bound && !captured) {
            notes.add(new TranslationNote(origin, path + ": captureMode IPTABLES, but this proxy's traffic is not "
                    + "captured (interception NONE); no listener, as in Istio"));
            return;
        }
        String bind = in.bind().isEmpty() ? WILDCARD : in.bind();
        String protocol = in.port().protocol().toUpperCase(Locale.ROOT);
        String cluster = InboundClusterIr.nameFor(port);
        InboundClusterIr target = endpoint(in, cluster, port, bound, HTTP2_PROTOCOLS.contains(protocol));
        if (target == null) {
            notes.add(new TranslationNote(origin, path + ": a listener Envoy binds needs a defaultEndpoint on "
                    + "another port or address (its original destination is the listener itself); not served"));
            return;
        }
        InboundChainIr chain = InboundChainIr.of(bind, port, HTTP_PROTOCOLS.contains(protocol), cluster);
        if (chains.containsKey(port) || clusters.containsKey(cluster)) {
            notes.add(new TranslationNote(origin, path + ": port " + port + " is already an ingress listener; "
                    + "the first is kept"));
            return;
        }
        clusters.put(cluster, target);
        if (bound) {
            listeners.add(new InboundListenerIr(chain.name(), bind, port, chain));
        } else {
            chains.put(port, chain);
        }
    }

    /** The cluster of an ingress listener's {@code defaultEndpoint}; null when it would loop back to the listener. */
    private static InboundClusterIr endpoint(IngressListener in, String name, int port, boolean bound,
                                             boolean http2) {
        String endpoint = in.defaultEndpoint();
        if (endpoint.startsWith(UNIX)) {
            return new InboundClusterIr(name, InboundClusterIr.Kind.PIPE, endpoint.substring(UNIX.length()), 0, 0,
                    false, http2);
        }
        String host = "";
        int target = port;
        if (!endpoint.isEmpty()) {
            int colon = endpoint.lastIndexOf(':');
            host = endpoint.substring(0, colon).replace("[", "").replace("]", "");
            target = Integer.parseInt(endpoint.substring(colon + 1));
        }
        if (host.isEmpty() || host.equals(WILDCARD) || host.equals("::")) {
            if (bound && target == port) {
                return null;
            }
            return new InboundClusterIr(name, InboundClusterIr.Kind.ORIGINAL_DST, "", 0, target == port ? 0 : target,
                    true, http2);
        }
        boolean loopback = host.equals("127.0.0.1") || host.equals("::1");
        return new InboundClusterIr(name, InboundClusterIr.Kind.STATIC, host, target, 0, !loopback, http2);
    }

    private static boolean skipped(int port, String origin, List<TranslationNote> notes) {
        if (PROXY_PORTS.contains(port)) {
            notes.add(new TranslationNote(origin, "inbound port " + port + " is one of Envoy's own ports; skipped"));
            return true;
        }
        return false;
    }
}
