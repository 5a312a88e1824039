package meshlog.xds;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.snapshot.ScopeSnapshot;

/**
 * Snapshots for proxyless gRPC, built from real Envoy protos: an API listener {@code svc.example:50051} routing by
 * weight over RDS to EDS clusters, one per backend, each a single locality on 127.0.0.1.
 */
public final class Mesh {

    public static final String SERVICE = "svc.example:50051";

    private Mesh() {
    }

    /** @param weights backend name → route weight (in order); {@code ports} backend name → its port */
    public static ScopeSnapshot split(String cluster, Map<String, Integer> weights, Map<String, Integer> ports) {
        Map<String, Map<String, byte[]>> resources = new TreeMap<>();
        put(resources, Resources.V3.LISTENER_TYPE_URL, SERVICE, listener());
        put(resources, Resources.V3.ROUTE_TYPE_URL, SERVICE, route(weights));
        ports.forEach((backend, port) -> {
            put(resources, Resources.V3.CLUSTER_TYPE_URL, backend, cluster(backend));
            put(resources, Resources.V3.ENDPOINT_TYPE_URL, backend, endpoints(cluster, backend, port));
        });
        return of(cluster, resources);
    }

    /**
     * A split that meshlog's consistency check passes but a gRPC client NACKs: the route's path is a regular
     * expression that does not compile. (Weights summing to 0, the NACK tests' old trigger, the check refuses.)
     */
    public static ScopeSnapshot nackedByGrpc(String cluster, Map<String, Integer> weights, Map<String, Integer> ports) {
        Map<String, Map<String, byte[]>> resources = new TreeMap<>(split(cluster, weights, ports).resources());
        RouteConfiguration route = route(weights);
        RouteConfiguration broken = route.toBuilder().setVirtualHosts(0, route.getVirtualHosts(0).toBuilder()
                .setRoutes(0, route.getVirtualHosts(0).getRoutes(0).toBuilder().setMatch(RouteMatch.newBuilder()
                        .setSafeRegex(RegexMatcher.newBuilder().setRegex("(unclosed"))))).build();
        resources.put(Resources.V3.ROUTE_TYPE_URL, Map.of(SERVICE, broken.toByteArray()));
        return of(cluster, resources);
    }

    public static ScopeSnapshot of(String cluster, Map<String, Map<String, byte[]>> resources) {
        String version = ScopeSnapshot.versionOf(resources);
        return new ScopeSnapshot(cluster, "grpc", version, "commit-" + version, resources);
    }

    public static void put(Map<String, Map<String, byte[]>> resources, String typeUrl, String name, Message resource) {
        resources.computeIfAbsent(typeUrl, t -> new TreeMap<>()).put(name, resource.toByteArray());
    }

    public static Listener listener() {
        ConfigSource ads = ConfigSource.newBuilder()
                .setAds(AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3)
                .build();
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
                .setRds(Rds.newBuilder().setConfigSource(ads).setRouteConfigName(SERVICE))
                .addHttpFilters(HttpFilter.newBuilder()
                        .setName("envoy.filters.http.router")
                        .setTypedConfig(Any.pack(Router.getDefaultInstance())))
                .build();
        return Listener.newBuilder()
                .setName(SERVICE)
                .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm)))
                .build();
    }

    public static RouteConfiguration route(Map<String, Integer> weights) {
        WeightedCluster.Builder split = WeightedCluster.newBuilder();
        weights.forEach((backend, weight) -> split.addClusters(WeightedCluster.ClusterWeight.newBuilder()
                .setName(backend).setWeight(UInt32Value.of(weight))));
        return RouteConfiguration.newBuilder()
                .setName(SERVICE)
                .addVirtualHosts(VirtualHost.newBuilder()
                        .setName("svc")
                        .addDomains("*")
                        .addRoutes(Route.newBuilder()
                                .setMatch(RouteMatch.newBuilder().setPrefix(""))
                                .setRoute(RouteAction.newBuilder().setWeightedClusters(split))))
                .build();
    }

    public static Cluster cluster(String backend) {
        return Cluster.newBuilder()
                .setName(backend)
                .setType(Cluster.DiscoveryType.EDS)
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
                        .setEdsConfig(ConfigSource.newBuilder()
                                .setAds(AggregatedConfigSource.getDefaultInstance())
                                .setResourceApiVersion(ApiVersion.V3)))
                .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN)
                .build();
    }

    public static ClusterLoadAssignment endpoints(String cluster, String backend, int port) {
        return ClusterLoadAssignment.newBuilder()
                .setClusterName(backend)
                .addEndpoints(LocalityLbEndpoints.newBuilder()
                        .setLocality(Locality.newBuilder().setRegion(cluster).setZone(cluster + "-a"))
                        // gRPC ignores a locality without a weight.
                        .setLoadBalancingWeight(UInt32Value.of(1))
                        .addLbEndpoints(LbEndpoint.newBuilder()
                                .setHealthStatus(HealthStatus.HEALTHY)
                                .setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder()
                                        .setSocketAddress(SocketAddress.newBuilder()
                                                .setAddress("127.0.0.1").setPortValue(port))))))
                .build();
    }
}
