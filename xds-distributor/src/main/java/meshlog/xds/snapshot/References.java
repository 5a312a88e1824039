package meshlog.xds.snapshot;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The consistency check run before a snapshot is served: every route configuration a listener names over RDS, every
 * cluster a route names, and the endpoints of every EDS cluster must be in the snapshot.
 * (java-control-plane's own {@code Snapshot.ensureConsistent()} cannot be used: it only looks at filters named
 * {@code envoy.http_connection_manager}, misses API listeners, and demands exactly as many routes as references.)
 */
final class References {

    private References() {
    }

    static List<String> dangling(DecodedSnapshot snapshot) {
        List<String> problems = new ArrayList<>();
        Set<String> routeNames = snapshot.routes().stream().map(RouteConfiguration::getName).collect(Collectors.toSet());
        Set<String> clusterNames = snapshot.clusters().stream().map(Cluster::getName).collect(Collectors.toSet());
        Set<String> endpointNames =
                snapshot.endpoints().stream().map(ClusterLoadAssignment::getClusterName).collect(Collectors.toSet());
        for (Listener listener : snapshot.listeners()) {
            for (Any config : connectionManagers(listener)) {
                try {
                    HttpConnectionManager hcm = config.unpack(HttpConnectionManager.class);
                    if (hcm.hasRds() && !routeNames.contains(hcm.getRds().getRouteConfigName())) {
                        problems.add("Listener '" + listener.getName() + "' names route configuration '"
                                + hcm.getRds().getRouteConfigName() + "', which is not in the snapshot");
                    }
                    if (hcm.hasRouteConfig()) { // inline, as an inbound chain's: its clusters must exist too
                        routeClusters(hcm.getRouteConfig(), "Listener '" + listener.getName() + "' inline ",
                                clusterNames, problems);
                    }
                } catch (InvalidProtocolBufferException e) {
                    problems.add("Listener '" + listener.getName() + "': unreadable HttpConnectionManager (" + e.getMessage() + ")");
                }
            }
        }
        for (RouteConfiguration routes : snapshot.routes()) {
            routeClusters(routes, "", clusterNames, problems);
        }
        for (Cluster cluster : snapshot.clusters()) {
            if (cluster.getType() == Cluster.DiscoveryType.EDS) {
                String serviceName = cluster.getEdsClusterConfig().getServiceName();
                String wanted = serviceName.isEmpty() ? cluster.getName() : serviceName;
                if (!endpointNames.contains(wanted)) {
                    problems.add("Cluster '" + cluster.getName() + "' is of type EDS but the snapshot has no "
                            + "ClusterLoadAssignment '" + wanted + "'");
                }
            }
        }
        return problems;
    }

    private static void routeClusters(RouteConfiguration routes, String where, Set<String> clusterNames,
                                      List<String> problems) {
        for (VirtualHost host : routes.getVirtualHostsList()) {
            for (Route route : host.getRoutesList()) {
                for (String cluster : clustersOf(route.getRoute())) {
                    if (!clusterNames.contains(cluster)) {
                        problems.add(where + "RouteConfiguration '" + routes.getName() + "' virtual host '"
                                + host.getName() + "' routes to cluster '" + cluster + "', which is not in the snapshot");
                    }
                }
            }
        }
    }

    private static List<Any> connectionManagers(Listener listener) {
        String hcmType = "type.googleapis.com/" + HttpConnectionManager.getDescriptor().getFullName();
        List<Any> found = new ArrayList<>();
        if (listener.hasApiListener() && listener.getApiListener().getApiListener().getTypeUrl().equals(hcmType)) {
            found.add(listener.getApiListener().getApiListener());
        }
        List<FilterChain> chains = new ArrayList<>(listener.getFilterChainsList());
        if (listener.hasDefaultFilterChain()) {
            chains.add(listener.getDefaultFilterChain());
        }
        for (FilterChain chain : chains) {
            for (Filter filter : chain.getFiltersList()) {
                if (filter.getTypedConfig().getTypeUrl().equals(hcmType)) {
                    found.add(filter.getTypedConfig());
                }
            }
        }
        return found;
    }

    private static List<String> clustersOf(RouteAction action) {
        return switch (action.getClusterSpecifierCase()) {
            case CLUSTER -> List.of(action.getCluster());
            case WEIGHTED_CLUSTERS -> action.getWeightedClusters().getClustersList().stream()
                    .map(WeightedCluster.ClusterWeight::getName).toList();
            default -> List.of();
        };
    }
}
