package meshlog.reconciler.xds;

import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import meshlog.reconciler.ir.ApiListenerIr;
import meshlog.reconciler.ir.HttpListenerIr;
import meshlog.reconciler.ir.L4ChainIr;
import meshlog.reconciler.ir.ListenerIr;
import meshlog.reconciler.ir.TcpListenerIr;
import meshlog.reconciler.ir.VirtualOutboundIr;
import meshlog.reconciler.ir.WeightedBackendIr;

/**
 * Listeners: API listeners for proxyless gRPC clients ({@code xds:///<host>:<port>} asks LDS for the listener of
 * that name), socket listeners for Envoy sidecars. Every HTTP listener's HttpConnectionManager takes its routes
 * from RDS over ADS and runs the listener's HTTP filters ({@link HttpFilterBuilder}).
 */
final class ListenerBuilder {

    static final String HCM_FILTER = "envoy.filters.network.http_connection_manager";
    static final String TCP_PROXY_FILTER = "envoy.filters.network.tcp_proxy";
    static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";
    /** Istio's name for the chain of connections no other chain takes. */
    static final String PASSTHROUGH_CHAIN = "PassthroughFilterChain";

    private ListenerBuilder() {
    }

    static Listener build(ListenerIr ir) {
        if (ir instanceof ApiListenerIr api) {
            return api(api);
        } else if (ir instanceof HttpListenerIr http) {
            return http(http);
        } else if (ir instanceof TcpListenerIr tcp) {
            return tcp(tcp);
        } else if (ir instanceof VirtualOutboundIr virtual) {
            return virtualOutbound(virtual);
        } else if (ir instanceof meshlog.reconciler.ir.VirtualInboundIr inbound) {
            return InboundBuilder.virtualInbound(inbound);
        } else if (ir instanceof meshlog.reconciler.ir.InboundListenerIr inbound) {
            return InboundBuilder.bound(inbound);
        } else if (ir instanceof meshlog.reconciler.ir.GatewayListenerIr gateway) {
            return GatewayListenerBuilder.build(gateway);
        }
        throw new AssertionError(ir);
    }

    private static Listener api(ApiListenerIr ir) {
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
                .setStatPrefix(ir.name())
                .setRds(Rds.newBuilder().setConfigSource(Protos.ads()).setRouteConfigName(ir.routeTable()))
                .addAllHttpFilters(HttpFilterBuilder.build(ir.httpFilters()))
                .build();
        return Listener.newBuilder()
                .setName(ir.name())
                .setApiListener(ApiListener.newBuilder().setApiListener(Protos.pack(hcm)))
                .build();
    }

    private static Listener http(HttpListenerIr ir) {
        HttpConnectionManager hcm = hcm(ir.statPrefix(), ir.routeTable(), ir.httpFilters());
        return Listener.newBuilder()
                .setName(ir.name())
                .setAddress(address(ir.address(), ir.port()))
                .setTrafficDirection(TrafficDirection.OUTBOUND)
                .setBindToPort(BoolValue.of(ir.bindToPort()))
                .addFilterChains(FilterChain.newBuilder().addFilters(
                        Filter.newBuilder().setName(HCM_FILTER).setTypedConfig(Protos.pack(hcm))))
                .build();
    }

    /** The HttpConnectionManager of a socket listener: routes from RDS, websocket upgrades, normalised paths. */
    static HttpConnectionManager hcm(String statPrefix, String routeTable,
                                     java.util.List<meshlog.reconciler.ir.HttpFilterIr> filters) {
        return HttpConnectionManager.newBuilder()
                .setStatPrefix(statPrefix)
                .setRds(Rds.newBuilder().setConfigSource(Protos.ads()).setRouteConfigName(routeTable))
                .addAllHttpFilters(HttpFilterBuilder.build(filters))
                .addUpgradeConfigs(HttpConnectionManager.UpgradeConfig.newBuilder().setUpgradeType("websocket"))
                .setNormalizePath(BoolValue.of(true))
                .build();
    }

    /**
     * A TCP/TLS listener: one filter chain per {@link L4ChainIr}, matched on SNI and addresses, each proxying TCP
     * (TLS passes through). With SNI matches the tls_inspector listener filter reads the ClientHello first.
     */
    private static Listener tcp(TcpListenerIr ir) {
        Listener.Builder l = Listener.newBuilder().setName(ir.name()).setAddress(address(ir.address(), ir.port()))
                .setTrafficDirection(TrafficDirection.OUTBOUND).setBindToPort(BoolValue.of(ir.bindToPort()))
                // Istio's: listener filters never time out (a server-first protocol would wait in vain anyway)
                .setContinueOnListenerFiltersTimeout(true).setListenerFiltersTimeout(Protos.duration(
                        java.time.Duration.ZERO));
        if (ir.inspectsTls()) {
            l.addListenerFilters(ListenerFilter.newBuilder().setName(TLS_INSPECTOR)
                    .setTypedConfig(Protos.pack(TlsInspector.getDefaultInstance())));
        }
        L4ChainIr all = ir.matchAll();
        for (L4ChainIr c : ir.chains()) {
            if (c == all && ir.chains().size() > 1) {
                l.setDefaultFilterChain(chain(c));
            } else {
                l.addFilterChains(chain(c));
            }
        }
        if (all == null && ir.fallbackCluster() != null) {
            TcpProxy passthrough = TcpProxy.newBuilder().setStatPrefix(ir.fallbackCluster())
                    .setCluster(ir.fallbackCluster()).build();
            l.setDefaultFilterChain(FilterChain.newBuilder().setName(PASSTHROUGH_CHAIN).addFilters(Filter.newBuilder()
                    .setName(TCP_PROXY_FILTER).setTypedConfig(Protos.pack(passthrough))));
        }
        return l.build();
    }

    static FilterChain chain(L4ChainIr c) {
        FilterChainMatch.Builder match = FilterChainMatch.newBuilder().addAllServerNames(c.serverNames());
        c.destinationPrefixes().forEach(p -> match.addPrefixRanges(cidr(p)));
        c.sourcePrefixes().forEach(p -> match.addSourcePrefixRanges(cidr(p)));
        FilterChain.Builder chain = FilterChain.newBuilder();
        if (!c.matchesAll()) {
            chain.setFilterChainMatch(match);
        }
        return chain.addFilters(Filter.newBuilder().setName(TCP_PROXY_FILTER).setTypedConfig(Protos.pack(tcpProxy(c))))
                .build();
    }

    private static TcpProxy tcpProxy(L4ChainIr c) {
        TcpProxy.Builder t = TcpProxy.newBuilder().setStatPrefix(c.statPrefix());
        if (c.backends().size() == 1) {
            return t.setCluster(c.backends().get(0).backend().clusterName()).build();
        }
        TcpProxy.WeightedCluster.Builder w = TcpProxy.WeightedCluster.newBuilder();
        for (WeightedBackendIr b : c.backends()) {
            w.addClusters(TcpProxy.WeightedCluster.ClusterWeight.newBuilder().setName(b.backend().clusterName())
                    .setWeight(b.weight()));
        }
        return t.setWeightedClusters(w).build();
    }

    /** An IP ({@code /32} or {@code /128}) or CIDR as Envoy's prefix range. */
    private static CidrRange cidr(String text) {
        int slash = text.indexOf('/');
        String ip = slash < 0 ? text : text.substring(0, slash);
        int len = slash < 0 ? (ip.contains(":") ? 128 : 32) : Integer.parseInt(text.substring(slash + 1));
        return CidrRange.newBuilder().setAddressPrefix(ip).setPrefixLen(UInt32Value.of(len)).build();
    }

    /** virtualOutbound: hands connections to their original destination's listener, else to the fallback. */
    private static Listener virtualOutbound(VirtualOutboundIr ir) {
        return tcpProxy(ir.name(), "0.0.0.0", ir.port(), ir.fallbackCluster(), ir.fallbackCluster(),
                ir.fallbackCluster()).setUseOriginalDst(BoolValue.of(true)).build();
    }

    /** An outbound listener whose one filter chain ({@code chainName}, null for none) proxies TCP to {@code cluster}. */
    private static Listener.Builder tcpProxy(String name, String ip, int port, String statPrefix, String cluster,
                                             String chainName) {
        TcpProxy tcp = TcpProxy.newBuilder().setStatPrefix(statPrefix).setCluster(cluster).build();
        FilterChain.Builder chain = FilterChain.newBuilder().addFilters(
                Filter.newBuilder().setName(TCP_PROXY_FILTER).setTypedConfig(Protos.pack(tcp)));
        if (chainName != null) {
            chain.setName(chainName); // Istio names virtualOutbound's fallback chain after its cluster
        }
        return Listener.newBuilder().setName(name).setAddress(address(ip, port))
                .setTrafficDirection(TrafficDirection.OUTBOUND).addFilterChains(chain);
    }

    static Address address(String ip, int port) {
        return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port))
                .build();
    }
}
