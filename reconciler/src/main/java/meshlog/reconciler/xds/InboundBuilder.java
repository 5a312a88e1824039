package meshlog.reconciler.xds;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.BindConfig;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Pipe;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.ArrayList;
import java.util.List;
import meshlog.reconciler.ir.HttpFilterIr;
import meshlog.reconciler.ir.InboundChainIr;
import meshlog.reconciler.ir.InboundClusterIr;
import meshlog.reconciler.ir.InboundListenerIr;
import meshlog.reconciler.ir.VirtualInboundIr;

/**
 * The inbound side of an Envoy sidecar as Istio writes it: {@code virtualInbound} (original_dst listener filter;
 * a blackhole chain for 15006 itself, a chain per workload port by destination port, a passthrough chain for the
 * rest), bound inbound listeners, and the {@code inbound|<port>||} clusters.
 *
 * <p>An inbound HTTP chain carries its route configuration inline, as Istio's does ({@code inbound|<port>||}, one
 * virtual host {@code inbound|http|<port>} for {@code *}, one route to the cluster without timeout): it is
 * private to the listener, and no RDS round trip is needed. AuthorizationPolicy's RBAC filters
 * ({@link RbacBuilder}) come before the router, or before tcp_proxy on a TCP chain. Each port has the chains of its
 * mTLS mode ({@link InboundTlsChains}); the TLS inspector runs when a port is not DISABLE. No HTTP inspector: no
 * protocol sniffing.
 */
final class InboundBuilder {

    static final String ORIGINAL_DST_FILTER = "envoy.filters.listener.original_dst";
    static final String TLS_INSPECTOR_FILTER = "envoy.filters.listener.tls_inspector";
    /**
     * How long an inbound ORIGINAL_DST cluster keeps an idle upstream host: Istio's 60 s (1.10 on). Istio's newest
     * releases write protobuf's largest duration instead; Envoy 1.40 NACKs that ("Duration out-of-range"), as a
     * real Envoy showed here.
     */
    private static final Duration CLEANUP = Duration.newBuilder().setSeconds(60).build();

    private InboundBuilder() {
    }

    static Listener virtualInbound(VirtualInboundIr ir) {
        Listener.Builder l = Listener.newBuilder().setName(ir.name()).setAddress(socket("0.0.0.0", ir.port()))
                .setTrafficDirection(TrafficDirection.INBOUND)
                .addListenerFilters(ListenerFilter.newBuilder().setName(ORIGINAL_DST_FILTER)
                        .setTypedConfig(Protos.pack(OriginalDst.getDefaultInstance())));
        if (InboundTlsChains.needsInspector(ir.passthroughMtls())
                || ir.chains().stream().anyMatch(c -> InboundTlsChains.needsInspector(c.mtls()))) {
            l.addListenerFilters(tlsInspector());
        }
        // Connections addressed to 15006 itself would loop through the listener: Istio black-holes them.
        l.addFilterChains(tcp(ir.name() + "-blackhole", ir.blackHoleCluster(), ir.blackHoleCluster())
                .setFilterChainMatch(FilterChainMatch.newBuilder().setDestinationPort(UInt32Value.of(ir.port()))));
        for (InboundChainIr chain : ir.chains()) {
            for (InboundTlsChains.Option option : InboundTlsChains.options(chain.mtls(), chain.http())) {
                l.addFilterChains(chain(chain, option).setFilterChainMatch(option.match(chain.port())));
            }
        }
        // Ports no chain names pass through, accepting what the workload's mode does (Istio's pass-through chains).
        for (InboundTlsChains.Option option : InboundTlsChains.options(ir.passthroughMtls(), false)) {
            FilterChain.Builder passthrough = tcp(ir.name(), ir.passthroughCluster(), ir.passthroughCluster())
                    .setFilterChainMatch(FilterChainMatch.newBuilder().addPrefixRanges(CidrRange.newBuilder()
                                    .setAddressPrefix("0.0.0.0").setPrefixLen(UInt32Value.of(0)))
                            .setTransportProtocol(option.transportProtocol())
                            .addAllApplicationProtocols(option.alpn()));
            if (option.terminates()) {
                passthrough.setTransportSocket(TlsContexts.tls(InboundTlsChains.downstream(false)));
            }
            l.addFilterChains(passthrough);
        }
        return l.build();
    }

    static Listener bound(InboundListenerIr ir) {
        Listener.Builder l = Listener.newBuilder().setName(ir.name()).setAddress(socket(ir.address(), ir.port()))
                .setTrafficDirection(TrafficDirection.INBOUND);
        if (InboundTlsChains.needsInspector(ir.chain().mtls())) {
            l.addListenerFilters(tlsInspector());
        }
        for (InboundTlsChains.Option option : InboundTlsChains.options(ir.chain().mtls(), ir.chain().http())) {
            l.addFilterChains(chain(ir.chain(), option).setFilterChainMatch(option.match(ir.chain().port())));
        }
        return l.build();
    }

    private static ListenerFilter tlsInspector() {
        return ListenerFilter.newBuilder().setName(TLS_INSPECTOR_FILTER)
                .setTypedConfig(Protos.pack(TlsInspector.getDefaultInstance())).build();
    }

    /** One of the port's chains: its filters, and Istio's mTLS termination when the option terminates. */
    private static FilterChain.Builder chain(InboundChainIr ir, InboundTlsChains.Option option) {
        FilterChain.Builder chain = filters(ir);
        if (option.terminates()) {
            chain.setTransportSocket(TlsContexts.tls(InboundTlsChains.downstream(ir.http())));
        }
        return chain;
    }

    private static FilterChain.Builder filters(InboundChainIr ir) {
        if (!ir.http()) {
            FilterChain.Builder tcp = tcp(ir.name(), ir.statPrefix(), ir.cluster());
            // Authorization before tcp_proxy, so a denied connection never reaches the workload.
            RbacBuilder.network(ir.rbac()).forEach(f -> tcp.addFilters(tcp.getFiltersCount() - 1, f));
            return tcp;
        }
        List<HttpFilterIr> filters = new ArrayList<>();
        if (ir.jwt() != null) {
            filters.add(new HttpFilterIr.JwtAuthn(ir.jwt())); // first: RBAC reads the payload it verifies
        }
        ir.rbac().forEach(f -> filters.add(new HttpFilterIr.Rbac(f)));
        filters.add(new HttpFilterIr.Router());
        Route route = Route.newBuilder().setName("default").setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(RouteAction.newBuilder().setCluster(ir.cluster()).setTimeout(Duration.getDefaultInstance()))
                .build();
        RouteConfiguration routes = RouteConfiguration.newBuilder().setName(ir.cluster())
                .addVirtualHosts(VirtualHost.newBuilder().setName("inbound|http|" + ir.port()).addDomains("*")
                        .addRoutes(route))
                .setValidateClusters(BoolValue.of(false)).build();
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder().setStatPrefix(ir.statPrefix())
                .setRouteConfig(routes)
                .addAllHttpFilters(HttpFilterBuilder.build(HttpFilterIr.checked(filters)))
                .addUpgradeConfigs(HttpConnectionManager.UpgradeConfig.newBuilder().setUpgradeType("websocket"))
                .setNormalizePath(BoolValue.of(true))
                // Istio's inbound XFCC: the peer's identity (URI SAN) reaches the workload, appended to what came.
                .setForwardClientCertDetails(HttpConnectionManager.ForwardClientCertDetails.APPEND_FORWARD)
                .setSetCurrentClientCertDetails(HttpConnectionManager.SetCurrentClientCertDetails.newBuilder()
                        .setSubject(BoolValue.of(true)).setDns(true).setUri(true))
                .build();
        return FilterChain.newBuilder().setName(ir.name()).addFilters(Filter.newBuilder()
                .setName(ListenerBuilder.HCM_FILTER).setTypedConfig(Protos.pack(hcm)));
    }

    private static FilterChain.Builder tcp(String name, String statPrefix, String cluster) {
        TcpProxy tcp = TcpProxy.newBuilder().setStatPrefix(statPrefix).setCluster(cluster).build();
        return FilterChain.newBuilder().setName(name).addFilters(Filter.newBuilder()
                .setName(ListenerBuilder.TCP_PROXY_FILTER).setTypedConfig(Protos.pack(tcp)));
    }

    static Cluster cluster(InboundClusterIr ir) {
        Cluster.Builder c = Cluster.newBuilder().setName(ir.name()).setConnectTimeout(ClusterBuilder.CONNECT_TIMEOUT);
        switch (ir.kind()) {
            case ORIGINAL_DST -> {
                c.setType(Cluster.DiscoveryType.ORIGINAL_DST).setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED);
                if (!ir.name().equals(InboundClusterIr.PASSTHROUGH_NAME)) {
                    c.setCleanupInterval(CLEANUP);
                }
                if (ir.portOverride() != 0) {
                    c.setOriginalDstLbConfig(Cluster.OriginalDstLbConfig.newBuilder()
                            .setUpstreamPortOverride(UInt32Value.of(ir.portOverride())));
                }
            }
            case STATIC -> c.setType(Cluster.DiscoveryType.STATIC)
                    .setLoadAssignment(assignment(ir.name(), socket(ir.address(), ir.port())));
            case PIPE -> c.setType(Cluster.DiscoveryType.STATIC).setLoadAssignment(assignment(ir.name(),
                    Address.newBuilder().setPipe(Pipe.newBuilder().setPath(ir.address())).build()));
            default -> throw new AssertionError(ir.kind());
        }
        if (ir.bindPassthroughSource()) {
            // istio-init lets 127.0.0.6 through uncaptured; from another source, the connection to the workload's
            // own address would be redirected back into Envoy.
            c.setUpstreamBindConfig(BindConfig.newBuilder().setSourceAddress(SocketAddress.newBuilder()
                    .setAddress(InboundClusterIr.PASSTHROUGH_SOURCE).setPortValue(0)));
        }
        if (ir.http2()) {
            c.putTypedExtensionProtocolOptions(ClusterBuilder.HTTP_PROTOCOL_OPTIONS, Protos.pack(
                    HttpProtocolOptions.newBuilder().setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig
                            .newBuilder().setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance())).build()));
        }
        return c.build();
    }

    private static ClusterLoadAssignment assignment(String name, Address address) {
        return ClusterLoadAssignment.newBuilder().setClusterName(name).addEndpoints(LocalityLbEndpoints.newBuilder()
                .addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder().setAddress(address))))
                .build();
    }

    private static Address socket(String ip, int port) {
        return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port))
                .build();
    }
}
