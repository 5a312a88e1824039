package meshlog.xdscheck;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.Map;
import java.util.TreeMap;

/**
 * Envoy protos for the check's tests, built straight (no translation): {@link #consistent()} is an API listener
 * {@code svc:80} → route configuration {@code svc:80} → EDS cluster {@code c} → its assignment; tests break one
 * thing each.
 */
final class Xds {

    private Xds() {
    }

    /** A mutable snapshot: type URL → name → bytes. */
    static Map<String, Map<String, byte[]>> consistent() {
        Map<String, Map<String, byte[]>> r = new TreeMap<>();
        put(r, TypeUrls.LISTENER, "svc:80", apiListener("svc:80", hcm("svc:80")));
        put(r, TypeUrls.ROUTE, "svc:80", routes("svc:80", RouteAction.newBuilder().setCluster("c").build()));
        put(r, TypeUrls.CLUSTER, "c", eds("c"));
        put(r, TypeUrls.ENDPOINT, "c", assignment("c", 0, 1));
        return r;
    }

    static void put(Map<String, Map<String, byte[]>> r, String typeUrl, String name, Message m) {
        r.computeIfAbsent(typeUrl, t -> new TreeMap<>()).put(name, m.toByteArray());
    }

    static HttpConnectionManager hcm(String rds) {
        return HttpConnectionManager.newBuilder().setRds(Rds.newBuilder().setRouteConfigName(rds))
                .addHttpFilters(HttpFilter.newBuilder().setName(XdsLimits.ROUTER_FILTER)).build();
    }

    static Listener apiListener(String name, Message config) {
        return Listener.newBuilder().setName(name)
                .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(config))).build();
    }

    static Filter filter(Message config) {
        return Filter.newBuilder().setName("f").setTypedConfig(Any.pack(config)).build();
    }

    static FilterChain chain(Message... filters) {
        FilterChain.Builder c = FilterChain.newBuilder();
        for (Message f : filters) {
            c.addFilters(filter(f));
        }
        return c.build();
    }

    static TcpProxy tcp(String cluster) {
        return TcpProxy.newBuilder().setStatPrefix("tcp").setCluster(cluster).build();
    }

    static RouteConfiguration routes(String name, RouteAction action) {
        return RouteConfiguration.newBuilder().setName(name).addVirtualHosts(VirtualHost.newBuilder()
                .setName("vh").addDomains("*").addRoutes(Route.newBuilder().setRoute(action))).build();
    }

    static Cluster eds(String name) {
        return Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.EDS).build();
    }

    static LbEndpoint endpoint(String ip) {
        return LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder()
                .setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(80)))).build();
    }

    static LocalityLbEndpoints locality(int priority, int weight) {
        return LocalityLbEndpoints.newBuilder().setLocality(Locality.newBuilder().setRegion("r").setZone("z" + priority))
                .setPriority(priority).setLoadBalancingWeight(UInt32Value.of(weight))
                .addLbEndpoints(endpoint("10.0.0." + (priority + 1))).build();
    }

    /** @param priorityWeights pairs of (priority, locality weight), one locality with one endpoint each */
    static ClusterLoadAssignment assignment(String name, int... priorityWeights) {
        ClusterLoadAssignment.Builder cla = ClusterLoadAssignment.newBuilder().setClusterName(name);
        for (int i = 0; i + 1 < priorityWeights.length; i += 2) {
            cla.addEndpoints(locality(priorityWeights[i], priorityWeights[i + 1]));
        }
        return cla.build();
    }
}
