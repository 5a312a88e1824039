package meshlog.reconciler.xds;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import meshlog.reconciler.ir.ApiListenerIr;
import meshlog.reconciler.ir.HttpListenerIr;
import meshlog.reconciler.ir.ListenerIr;
import meshlog.reconciler.ir.TcpListenerIr;
import meshlog.reconciler.ir.VirtualOutboundIr;

/**
 * Listeners: API listeners for proxyless gRPC clients ({@code xds:///<host>:<port>} asks LDS for the listener of
 * that name), socket listeners for Envoy sidecars. Every HTTP listener's HttpConnectionManager takes its routes
 * from RDS over ADS and runs the listener's HTTP filters ({@link HttpFilterBuilder}).
 */
final class ListenerBuilder {

    static final String HCM_FILTER = "envoy.filters.network.http_connection_manager";
    static final String TCP_PROXY_FILTER = "envoy.filters.network.tcp_proxy";

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
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
                .setStatPrefix(ir.statPrefix())
                .setRds(Rds.newBuilder().setConfigSource(Protos.ads()).setRouteConfigName(ir.routeTable()))
                .addAllHttpFilters(HttpFilterBuilder.build(ir.httpFilters()))
                .addUpgradeConfigs(HttpConnectionManager.UpgradeConfig.newBuilder().setUpgradeType("websocket"))
                .setNormalizePath(BoolValue.of(true))
                .build();
        return Listener.newBuilder()
                .setName(ir.name())
                .setAddress(address(ir.address(), ir.port()))
                .setTrafficDirection(TrafficDirection.OUTBOUND)
                .setBindToPort(BoolValue.of(ir.bindToPort()))
                .addFilterChains(FilterChain.newBuilder().addFilters(
                        Filter.newBuilder().setName(HCM_FILTER).setTypedConfig(Protos.pack(hcm))))
                .build();
    }

    private static Listener tcp(TcpListenerIr ir) {
        return tcpProxy(ir.name(), ir.address(), ir.port(), ir.statPrefix(), ir.cluster(), null)
                .setBindToPort(BoolValue.of(ir.bindToPort())).build();
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

    private static Address address(String ip, int port) {
        return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port))
                .build();
    }
}
