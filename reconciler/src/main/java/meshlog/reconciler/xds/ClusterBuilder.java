package meshlog.reconciler.xds;

import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.UInt64Value;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.extensions.clusters.common.dns.v3.DnsLookupFamily;
import io.envoyproxy.envoy.extensions.clusters.dns.v3.DnsCluster;
import io.envoyproxy.envoy.extensions.network.dns_resolver.cares.v3.CaresDnsResolverConfig;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import meshlog.reconciler.ir.BackendIr;
import meshlog.reconciler.ir.BlackHoleClusterIr;
import meshlog.reconciler.ir.ClusterIr;
import meshlog.reconciler.ir.ClusterPolicyIr;
import meshlog.reconciler.ir.EndpointSource;
import meshlog.reconciler.ir.PassthroughClusterIr;

/**
 * Clusters: a backend as an EDS cluster over ADS (or a DNS or original-destination cluster, from the
 * ServiceEntry's resolution), round robin (the one policy proxyless gRPC supports, Istio says),
 * HTTP/2 upstream when the backend says so; Istio's {@code PassthroughCluster} (original destination) and
 * {@code BlackHoleCluster} (static, no endpoints).
 */
final class ClusterBuilder {

    /** Istio's default connect timeout. */
    static final Duration CONNECT_TIMEOUT = Duration.newBuilder().setSeconds(10).build();
    /** Istio's mesh default {@code dnsRefreshRate}. */
    static final Duration DNS_REFRESH_RATE = Duration.newBuilder().setSeconds(60).build();
    static final String CARES = "envoy.network.dns_resolver.cares";
    static final String DNS_CLUSTER = "envoy.cluster.dns";
    static final String HTTP_PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

    private ClusterBuilder() {
    }

    static Cluster build(ClusterIr ir) {
        if (ir instanceof BackendIr backend) {
            return backend(backend);
        } else if (ir instanceof PassthroughClusterIr passthrough) {
            return Cluster.newBuilder().setName(passthrough.name()).setType(Cluster.DiscoveryType.ORIGINAL_DST)
                    .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED).setConnectTimeout(CONNECT_TIMEOUT).build();
        } else if (ir instanceof BlackHoleClusterIr blackHole) {
            return Cluster.newBuilder().setName(blackHole.name()).setType(Cluster.DiscoveryType.STATIC)
                    .setConnectTimeout(CONNECT_TIMEOUT).build();
        } else if (ir instanceof meshlog.reconciler.ir.InboundClusterIr inbound) {
            return InboundBuilder.cluster(inbound);
        } else if (ir instanceof meshlog.reconciler.ir.JwksClusterIr jwks) {
            return JwtAuthnBuilder.cluster(jwks);
        }
        throw new AssertionError(ir);
    }

    private static Cluster backend(BackendIr ir) {
        ClusterPolicyIr p = ir.policy();
        Cluster.Builder c = Cluster.newBuilder()
                .setName(ir.name())
                .setConnectTimeout(p.connectTimeout() == null ? CONNECT_TIMEOUT : Protos.duration(p.connectTimeout()));
        lb(p, c);
        discovery(ir, c);
        UpstreamTlsBuilder.apply(ir, c);
        if (p.limits() != null) {
            c.setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(thresholds(p.limits())));
        }
        if (p.outlier() != null) {
            c.setOutlierDetection(outlier(p.outlier()));
            if (p.outlier().minHealthPercent() != null) {
                // Istio's mapping: below this share of healthy hosts Envoy stops honouring ejections (panic mode).
                c.setCommonLbConfig(Cluster.CommonLbConfig.newBuilder().setHealthyPanicThreshold(
                        io.envoyproxy.envoy.type.v3.Percent.newBuilder().setValue(p.outlier().minHealthPercent())));
            }
        }
        if (ir.http2() || p.maxRequestsPerConnection() != null || p.idleTimeout() != null) {
            HttpProtocolOptions.Builder options = HttpProtocolOptions.newBuilder();
            if (ir.http2()) {
                options.setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                        .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()));
            } else {
                options.setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                        .setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance()));
            }
            if (p.maxRequestsPerConnection() != null || p.idleTimeout() != null) {
                io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.Builder common =
                        io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.newBuilder();
                if (p.maxRequestsPerConnection() != null) {
                    common.setMaxRequestsPerConnection(UInt32Value.of(p.maxRequestsPerConnection()));
                }
                if (p.idleTimeout() != null) {
                    common.setIdleTimeout(Protos.duration(p.idleTimeout()));
                }
                options.setCommonHttpProtocolOptions(common);
            }
            c.putTypedExtensionProtocolOptions(HTTP_PROTOCOL_OPTIONS, Protos.pack(options.build()));
        }
        return c.build();
    }

    /**
     * How the cluster finds its endpoints. DNS clusters carry them inline and get Istio's DNS settings: IPv4 only
     * (Istio's choice for an IPv4 proxy; meshlog does not know the proxy's addresses), the record's TTL respected,
     * refreshed every 60 s (the mesh default {@code dnsRefreshRate}), c-ares with at most 100 UDP queries per
     * socket ({@code PILOT_DNS_CARES_UDP_MAX_QUERIES}). Istio sets them on the Cluster itself; Envoy 1.40 takes
     * those fields but deprecates them ("will be removed soon"), so they travel in Envoy's DNS cluster extension
     * ({@code envoy.cluster.dns}), LOGICAL_DNS as its {@code all_addresses_in_single_endpoint}. Original
     * destination takes Envoy's only policy for it.
     */
    private static void discovery(BackendIr ir, Cluster.Builder c) {
        if (c.getType() == Cluster.DiscoveryType.ORIGINAL_DST) {
            return; // a DestinationRule's PASSTHROUGH overrides the resolution, as in Istio
        }
        switch (ir.source()) {
            case EDS -> c.setType(Cluster.DiscoveryType.EDS)
                    .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(Protos.ads()));
            case STRICT_DNS, LOGICAL_DNS -> c.setClusterType(Cluster.CustomClusterType.newBuilder()
                            .setName(DNS_CLUSTER).setTypedConfig(Protos.pack(dnsCluster(ir.source()))))
                    .setLoadAssignment(EndpointBuilder.build(ir));
            case ORIGINAL_DST -> c.setType(Cluster.DiscoveryType.ORIGINAL_DST)
                    .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED).clearRingHashLbConfig().clearMaglevLbConfig();
            default -> throw new AssertionError(ir.source());
        }
    }

    /** Istio's DNS settings for a STRICT_DNS (all addresses) or LOGICAL_DNS (one endpoint) cluster. */
    static DnsCluster dnsCluster(EndpointSource source) {
        return DnsCluster.newBuilder()
                .setDnsLookupFamily(DnsLookupFamily.V4_ONLY)
                .setRespectDnsTtl(true)
                .setDnsRefreshRate(DNS_REFRESH_RATE)
                .setTypedDnsResolverConfig(TypedExtensionConfig.newBuilder().setName(CARES)
                        .setTypedConfig(Protos.pack(CaresDnsResolverConfig.newBuilder()
                                .setUdpMaxQueries(UInt32Value.of(100)).build())))
                .setAllAddressesInSingleEndpoint(source == EndpointSource.LOGICAL_DNS)
                .build();
    }

    /** Unset means round robin: the one policy proxyless gRPC always supports; sidecars get theirs from the layout. */
    private static void lb(ClusterPolicyIr p, Cluster.Builder c) {
        ClusterPolicyIr.Lb lb = p.lb() == null ? ClusterPolicyIr.Lb.ROUND_ROBIN : p.lb();
        switch (lb) {
            case ROUND_ROBIN -> c.setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN);
            case LEAST_REQUEST -> c.setLbPolicy(Cluster.LbPolicy.LEAST_REQUEST);
            case RANDOM -> c.setLbPolicy(Cluster.LbPolicy.RANDOM);
            case PASSTHROUGH -> c.setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
                    .setType(Cluster.DiscoveryType.ORIGINAL_DST);
            case RING_HASH -> {
                c.setLbPolicy(Cluster.LbPolicy.RING_HASH);
                if (p.ringSize() > 0) {
                    c.setRingHashLbConfig(Cluster.RingHashLbConfig.newBuilder()
                            .setMinimumRingSize(UInt64Value.of(p.ringSize())));
                }
            }
            case MAGLEV -> {
                c.setLbPolicy(Cluster.LbPolicy.MAGLEV);
                if (p.ringSize() > 0) {
                    c.setMaglevLbConfig(Cluster.MaglevLbConfig.newBuilder().setTableSize(UInt64Value.of(p.ringSize())));
                }
            }
            default -> throw new AssertionError(lb);
        }
    }

    private static CircuitBreakers.Thresholds thresholds(ClusterPolicyIr.Limits l) {
        CircuitBreakers.Thresholds.Builder t = CircuitBreakers.Thresholds.newBuilder();
        if (l.maxConnections() != null) {
            t.setMaxConnections(UInt32Value.of(l.maxConnections()));
        }
        if (l.maxPendingRequests() != null) {
            t.setMaxPendingRequests(UInt32Value.of(l.maxPendingRequests()));
        }
        if (l.maxRequests() != null) {
            t.setMaxRequests(UInt32Value.of(l.maxRequests()));
        }
        if (l.maxRetries() != null) {
            t.setMaxRetries(UInt32Value.of(l.maxRetries()));
        }
        return t.build();
    }

    private static OutlierDetection outlier(ClusterPolicyIr.OutlierIr o) {
        OutlierDetection.Builder b = OutlierDetection.newBuilder();
        if (o.consecutive5xx() != null) {
            b.setConsecutive5Xx(UInt32Value.of(o.consecutive5xx().intValue()));
            b.setEnforcingConsecutive5Xx(UInt32Value.of(100));
        } else {
            b.setEnforcingConsecutive5Xx(UInt32Value.of(0)); // Istio: only what the user asks for is enforced
        }
        if (o.consecutiveGateway() != null) {
            b.setConsecutiveGatewayFailure(UInt32Value.of(o.consecutiveGateway().intValue()));
            b.setEnforcingConsecutiveGatewayFailure(UInt32Value.of(100));
        }
        if (o.consecutiveLocalOrigin() != null) {
            b.setSplitExternalLocalOriginErrors(true);
            b.setConsecutiveLocalOriginFailure(UInt32Value.of(o.consecutiveLocalOrigin().intValue()));
            b.setEnforcingConsecutiveLocalOriginFailure(UInt32Value.of(100));
        }
        if (o.interval() != null) {
            b.setInterval(Protos.duration(o.interval()));
        }
        if (o.baseEjectionTime() != null) {
            b.setBaseEjectionTime(Protos.duration(o.baseEjectionTime()));
        }
        if (o.maxEjectionPercent() != null) {
            b.setMaxEjectionPercent(UInt32Value.of(o.maxEjectionPercent()));
        }
        return b.build();
    }
}
