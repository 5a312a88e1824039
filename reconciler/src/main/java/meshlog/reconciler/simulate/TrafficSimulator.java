package meshlog.reconciler.simulate;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshlog.reconciler.simulate.SimResult.WeightedCluster;
import meshlog.xdscheck.TypeUrls;

/**
 * Pushes a synthetic request through the xDS resources of one scope, as Envoy would route it, without running
 * Envoy (the idea of Istio's {@code pilot/pkg/simulation}): listener, filter chain, then for HTTP the route
 * configuration, virtual host, route and its action; for TCP the tcp_proxy's cluster(s). Pure: resources and
 * request in, result out. The resources are {@code typeUrl → name → serialized proto}, as
 * {@code XdsResources.build} returns them and a snapshot carries them.
 *
 * <p>Not simulated: load balancing within a split, fault injection, retries, mirrors, rewrites (the request is
 * matched as sent), Envoy's path normalisation, inbound traffic.
 */
public final class TrafficSimulator {

    static final String HCM = "envoy.filters.network.http_connection_manager";
    static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";

    private final Map<String, Map<String, byte[]>> resources;

    private TrafficSimulator(Map<String, Map<String, byte[]>> resources) {
        this.resources = resources;
    }

    /** Where {@code request} goes with these resources. */
    public static SimResult simulate(Map<String, Map<String, byte[]>> resources, SimRequest request) {
        return new TrafficSimulator(resources).run(request);
    }

    private SimResult run(SimRequest req) {
        List<Listener> listeners = listeners();
        String handedOffBy = null;
        Listener listener;
        if (req.captured()) {
            Listener virtual = listeners.stream().filter(l -> l.getUseOriginalDst().getValue()).findFirst()
                    .orElse(null);
            if (virtual == null) {
                return SimResult.none(null, null, null, "captured, but no listener with use_original_dst");
            }
            // use_original_dst: the listener of the original destination takes the connection, if there is one
            Listener target = byAddress(listeners, req, false);
            handedOffBy = target == null || target == virtual ? null : virtual.getName();
            listener = target == null ? virtual : target;
        } else {
            listener = byAddress(listeners, req, true);
            if (listener == null) {
                return SimResult.none(null, null, null, "no listener bound to " + req.destination() + ":"
                        + req.port() + " (not captured, the connection bypasses the proxy)");
            }
        }
        FilterChainSelector.Chosen chosen = FilterChainSelector.select(listener, req);
        if (chosen == null) {
            return SimResult.none(handedOffBy, listener.getName(), null, "no filter chain of " + listener.getName()
                    + " matches " + req.destination() + ":" + req.port()
                    + (req.sni() == null ? "" : " sni " + req.sni()) + " and there is no default chain");
        }
        return chain(handedOffBy, listener.getName(), chosen, req);
    }

    private SimResult chain(String handedOffBy, String listener, FilterChainSelector.Chosen chosen, SimRequest req) {
        FilterChain chain = chosen.chain();
        for (Filter f : chain.getFiltersList()) {
            if (f.getName().equals(TCP_PROXY)) {
                TcpProxy tcp = unpack(f, TcpProxy.class);
                return new SimResult(handedOffBy, listener, chosen.label(), null, null, null, clusters(tcp), null,
                        null, null);
            }
            if (f.getName().equals(HCM)) {
                if (req.protocol() != SimRequest.Protocol.HTTP) {
                    return SimResult.none(handedOffBy, listener, chosen.label(),
                            "the filter chain speaks HTTP and the request is " + req.protocol());
                }
                return HttpRouting.route(handedOffBy, listener, chosen.label(), unpack(f, HttpConnectionManager.class),
                        this::routeConfig, req);
            }
        }
        return SimResult.none(handedOffBy, listener, chosen.label(), "the filter chain has no tcp_proxy or HTTP"
                + " connection manager");
    }

    /** Envoy's listener lookup: the exact address and port first, then a wildcard address on that port. */
    private static Listener byAddress(List<Listener> listeners, SimRequest req, boolean boundOnly) {
        Listener wildcard = null;
        for (Listener l : listeners) {
            if (!l.hasAddress() || !l.getAddress().hasSocketAddress()
                    || (boundOnly && l.hasBindToPort() && !l.getBindToPort().getValue())) {
                continue;
            }
            SocketAddress a = l.getAddress().getSocketAddress();
            if (a.getPortValue() != req.port()) {
                continue;
            }
            if (a.getAddress().equals(req.destination())) {
                return l;
            }
            if (Addresses.isWildcard(a.getAddress()) && wildcard == null) {
                wildcard = l;
            }
        }
        return wildcard;
    }

    private static List<WeightedCluster> clusters(TcpProxy tcp) {
        if (tcp.hasWeightedClusters()) {
            List<WeightedCluster> out = new ArrayList<>();
            tcp.getWeightedClusters().getClustersList().forEach(c -> out.add(new WeightedCluster(c.getName(),
                    c.getWeight())));
            return out;
        }
        return List.of(new WeightedCluster(tcp.getCluster(), 1));
    }

    private List<Listener> listeners() {
        List<Listener> out = new ArrayList<>();
        for (byte[] bytes : resources.getOrDefault(TypeUrls.LISTENER, Map.of()).values()) {
            try {
                out.add(Listener.parseFrom(bytes));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException("a listener resource does not parse: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private RouteConfiguration routeConfig(String name) {
        byte[] bytes = resources.getOrDefault(TypeUrls.ROUTE, Map.of()).get(name);
        try {
            return bytes == null ? null : RouteConfiguration.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("route configuration " + name + " does not parse: " + e.getMessage(),
                    e);
        }
    }

    static <T extends com.google.protobuf.Message> T unpack(Filter f, Class<T> type) {
        try {
            return f.getTypedConfig().unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("filter " + f.getName() + " does not unpack: " + e.getMessage(), e);
        }
    }
}
