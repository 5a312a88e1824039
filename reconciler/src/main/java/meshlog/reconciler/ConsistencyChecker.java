package meshlog.reconciler;

import meshlog.reconciler.xds.XdsLimits;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.clusters.dns.v3.DnsCluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import meshlog.reconciler.xds.TypeUrls;

/**
 * Checks a snapshot, in the serialized form that is published, before it is served: every route configuration a
 * listener's HTTP connection manager names exists (API listeners and every filter chain of socket listeners), every
 * cluster a tcp_proxy names exists (one or weighted, weights summing to 1..2^32-1), no two filter chains of a
 * listener have the same match and SNI matches have a tls_inspector, every cluster a route names exists (in RDS
 * and in an HTTP connection manager's inline routes, as inbound chains carry them), every EDS cluster has an
 * assignment, a STATIC one an endpoint (but {@code BlackHoleCluster}), a LOGICAL_DNS cluster exactly one
 * endpoint, an ORIGINAL_DST cluster none and its one lb policy, and nothing a gRPC client is known to NACK is in
 * it (weighted clusters summing to 0, localities without weight, sparse priorities). Returns every problem, not
 * just the first.
 */
public final class ConsistencyChecker {


    private ConsistencyChecker() {
    }

    /** @return empty when the snapshot is consistent */
    public static List<String> problems(Map<String, Map<String, byte[]>> resources) {
        Map<String, byte[]> listeners = resources.getOrDefault(TypeUrls.LISTENER, Map.of());
        Map<String, byte[]> routes = resources.getOrDefault(TypeUrls.ROUTE, Map.of());
        Map<String, byte[]> clusters = resources.getOrDefault(TypeUrls.CLUSTER, Map.of());
        Map<String, byte[]> endpoints = resources.getOrDefault(TypeUrls.ENDPOINT, Map.of());
        List<String> out = new ArrayList<>();
        new TreeMap<>(listeners).forEach((name, bytes) -> checkListener(name, bytes, routes, clusters, out));
        new TreeMap<>(routes).forEach((name, bytes) -> checkRoutes(name, bytes, clusters, out));
        new TreeMap<>(clusters).forEach((name, bytes) -> checkCluster(name, bytes, endpoints, out));
        new TreeMap<>(endpoints).forEach((name, bytes) -> checkEndpoints(name, bytes, out));
        return out;
    }

    private static void checkListener(String name, byte[] bytes, Map<String, byte[]> routes,
                                      Map<String, byte[]> clusters, List<String> out) {
        String what = "listener " + name;
        try {
            Listener l = Listener.parseFrom(bytes);
            sameName(what, l.getName(), name, out);
            if (l.hasApiListener()) {
                checkHcm(what, l.getApiListener().getApiListener(), routes, clusters, out);
                return;
            }
            if (l.getFilterChainsCount() == 0 && !l.hasDefaultFilterChain()) {
                out.add(what + ": has neither an api_listener nor a filter chain");
            }
            Map<FilterChainMatch, Integer> matches = new java.util.HashMap<>();
            boolean inspector = l.getListenerFiltersList().stream()
                    .anyMatch(f -> f.getTypedConfig().is(TlsInspector.class));
            List<FilterChain> chains = new ArrayList<>(l.getFilterChainsList());
            if (l.hasDefaultFilterChain()) {
                chains.add(l.getDefaultFilterChain());
            }
            for (int i = 0; i < chains.size(); i++) {
                FilterChain chain = chains.get(i);
                boolean isDefault = i == l.getFilterChainsCount();
                String where = what + (isDefault ? " default_filter_chain" : " filter_chains[" + i + "]");
                Integer same = isDefault ? null : matches.putIfAbsent(normalized(chain.getFilterChainMatch()), i);
                if (same != null) {
                    out.add(where + ": has the same filter_chain_match as filter_chains[" + same + "] (Envoy "
                            + "refuses the listener)");
                }
                if (chain.getFilterChainMatch().getServerNamesCount() > 0 && !inspector) {
                    out.add(where + ": matches server_names but the listener has no tls_inspector to read them");
                }
                if (chain.getFiltersCount() == 0) {
                    out.add(where + ": has no network filter");
                    continue;
                }
                Any last = chain.getFilters(chain.getFiltersCount() - 1).getTypedConfig();
                if (last.is(TcpProxy.class)) {
                    checkTcpProxy(where, last.unpack(TcpProxy.class), clusters, out);
                } else {
                    checkHcm(where, last, routes, clusters, out);
                }
            }
        } catch (InvalidProtocolBufferException e) {
            out.add(what + ": unreadable: " + e.getMessage());
        }
    }

    /** The match with its lists sorted: Envoy compares them as sets. */
    private static FilterChainMatch normalized(FilterChainMatch m) {
        return m.toBuilder().clearServerNames().addAllServerNames(new TreeSet<>(m.getServerNamesList()))
                .clearPrefixRanges().addAllPrefixRanges(m.getPrefixRangesList().stream()
                        .sorted(java.util.Comparator.comparing(r -> r.getAddressPrefix() + "/" + r.getPrefixLen()
                                .getValue())).toList())
                .clearSourcePrefixRanges().addAllSourcePrefixRanges(m.getSourcePrefixRangesList().stream()
                        .sorted(java.util.Comparator.comparing(r -> r.getAddressPrefix() + "/" + r.getPrefixLen()
                                .getValue())).toList())
                .build();
    }

    private static void checkTcpProxy(String where, TcpProxy tcp, Map<String, byte[]> clusters, List<String> out) {
        if (tcp.hasWeightedClusters()) {
            long total = 0;
            for (TcpProxy.WeightedCluster.ClusterWeight cw : tcp.getWeightedClusters().getClustersList()) {
                total += Integer.toUnsignedLong(cw.getWeight());
                clusterExists(where, cw.getName(), clusters, out);
            }
            if (total == 0 || total > XdsLimits.MAX_TOTAL_WEIGHT) {
                out.add(where + ": tcp_proxy weighted cluster weights sum to " + total + "; must be 1.."
                        + XdsLimits.MAX_TOTAL_WEIGHT);
            }
        } else if (tcp.getCluster().isEmpty()) {
            out.add(where + ": tcp_proxy names no cluster");
        } else {
            clusterExists(where, tcp.getCluster(), clusters, out);
        }
    }

    private static void checkHcm(String what, Any config, Map<String, byte[]> routes, Map<String, byte[]> clusters,
                                 List<String> out) throws InvalidProtocolBufferException {
        if (!config.is(HttpConnectionManager.class)) {
            out.add(what + ": the last network filter is not an HttpConnectionManager or a tcp_proxy but "
                    + config.getTypeUrl());
            return;
        }
        HttpConnectionManager hcm = config.unpack(HttpConnectionManager.class);
        if (hcm.hasRouteConfig()) {
            // An inbound chain's routes are inline (as Istio's): check them as RDS ones are checked.
            checkRoutes(what + " inline", hcm.getRouteConfig(), clusters, out);
        } else if (!hcm.hasRds()) {
            out.add(what + ": takes its routes neither from RDS nor inline");
        } else if (!routes.containsKey(hcm.getRds().getRouteConfigName())) {
            out.add(what + ": refers to route configuration \"" + hcm.getRds().getRouteConfigName()
                    + "\", which the snapshot does not hold");
        }
        int n = hcm.getHttpFiltersCount();
        if (n == 0 || !hcm.getHttpFilters(n - 1).getName().equals(XdsLimits.ROUTER_FILTER)) {
            out.add(what + ": the last HTTP filter must be the router");
        }
    }

    private static void checkRoutes(String name, byte[] bytes, Map<String, byte[]> clusters, List<String> out) {
        try {
            RouteConfiguration rc = RouteConfiguration.parseFrom(bytes);
            sameName("route configuration " + name, rc.getName(), name, out);
            checkRoutes("", rc, clusters, out);
        } catch (InvalidProtocolBufferException e) {
            out.add("route configuration " + name + ": unreadable: " + e.getMessage());
        }
    }

    private static void checkRoutes(String where, RouteConfiguration rc, Map<String, byte[]> clusters,
                                    List<String> out) {
        String prefix = (where.isEmpty() ? "" : where + " ") + "route configuration " + rc.getName();
        for (VirtualHost vh : rc.getVirtualHostsList()) {
            for (int i = 0; i < vh.getRoutesCount(); i++) {
                checkRoute(prefix + " virtual host " + vh.getName() + " route[" + i + "]", vh.getRoutes(i),
                        clusters, out);
            }
        }
    }

    private static void checkRoute(String what, Route r, Map<String, byte[]> clusters, List<String> out) {
        if (r.hasRedirect() || r.hasDirectResponse()) {
            return;
        }
        if (!r.hasRoute()) {
            out.add(what + ": has no route action");
            return;
        }
        RouteAction a = r.getRoute();
        a.getRequestMirrorPoliciesList().forEach(m -> clusterExists(what + " mirror", m.getCluster(), clusters, out));
        if (a.hasWeightedClusters()) {
            long total = 0;
            for (WeightedCluster.ClusterWeight cw : a.getWeightedClusters().getClustersList()) {
                total += Integer.toUnsignedLong(cw.getWeight().getValue());
                clusterExists(what, cw.getName(), clusters, out);
            }
            if (total == 0 || total > XdsLimits.MAX_TOTAL_WEIGHT) {
                out.add(what + ": weighted cluster weights sum to " + total + "; must be 1.."
                        + XdsLimits.MAX_TOTAL_WEIGHT);
            }
        } else if (!a.getCluster().isEmpty()) {
            clusterExists(what, a.getCluster(), clusters, out);
        } else {
            out.add(what + ": names no cluster");
        }
    }

    private static void clusterExists(String what, String cluster, Map<String, byte[]> clusters, List<String> out) {
        if (!clusters.containsKey(cluster)) {
            out.add(what + ": refers to cluster \"" + cluster + "\", which the snapshot does not hold");
        }
    }

    private static void checkCluster(String name, byte[] bytes, Map<String, byte[]> endpoints, List<String> out) {
        try {
            Cluster c = Cluster.parseFrom(bytes);
            sameName("cluster " + name, c.getName(), name, out);
            if (c.getType() == Cluster.DiscoveryType.STATIC && !c.hasClusterType() && !name.equals("BlackHoleCluster")
                    && c.getLoadAssignment().getEndpointsList().stream().flatMap(e -> e.getLbEndpointsList().stream())
                    .noneMatch(e -> !e.getEndpoint().getAddress().getSocketAddress().getAddress().isEmpty()
                            || !e.getEndpoint().getAddress().getPipe().getPath().isEmpty())) {
                out.add("cluster " + name + ": is STATIC without an endpoint address (only BlackHoleCluster may be)");
            }
            if (c.getType() == Cluster.DiscoveryType.EDS) {
                String service = c.getEdsClusterConfig().getServiceName();
                String eds = service.isEmpty() ? name : service;
                if (!endpoints.containsKey(eds)) {
                    out.add("cluster " + name + ": has no endpoint assignment \"" + eds + "\" in the snapshot");
                }
            } else if (c.getType() == Cluster.DiscoveryType.LOGICAL_DNS || logicalDns(c)) {
                int n = c.getLoadAssignment().getEndpointsList().stream().mapToInt(LocalityLbEndpoints::getLbEndpointsCount)
                        .sum();
                if (c.getLoadAssignment().getEndpointsCount() != 1 || n != 1) {
                    out.add("cluster " + name + ": a LOGICAL_DNS cluster needs exactly one endpoint, has " + n);
                }
            } else if (c.getType() == Cluster.DiscoveryType.ORIGINAL_DST) {
                if (c.getLbPolicy() != Cluster.LbPolicy.CLUSTER_PROVIDED) {
                    out.add("cluster " + name + ": an ORIGINAL_DST cluster needs lb_policy CLUSTER_PROVIDED, has "
                            + c.getLbPolicy());
                }
                if (c.hasLoadAssignment()) {
                    out.add("cluster " + name + ": an ORIGINAL_DST cluster must have no load_assignment");
                }
            }
        } catch (InvalidProtocolBufferException e) {
            out.add("cluster " + name + ": unreadable: " + e.getMessage());
        }
    }

    /** A DNS cluster extension resolving to one endpoint (Envoy's LOGICAL_DNS behaviour). */
    private static boolean logicalDns(Cluster c) throws InvalidProtocolBufferException {
        Any config = c.getClusterType().getTypedConfig();
        return c.hasClusterType() && config.is(DnsCluster.class)
                && config.unpack(DnsCluster.class).getAllAddressesInSingleEndpoint();
    }

    private static void checkEndpoints(String name, byte[] bytes, List<String> out) {
        String what = "endpoint assignment " + name;
        try {
            ClusterLoadAssignment cla = ClusterLoadAssignment.parseFrom(bytes);
            sameName(what, cla.getClusterName(), name, out);
            TreeSet<Integer> priorities = new TreeSet<>();
            for (LocalityLbEndpoints lle : cla.getEndpointsList()) {
                priorities.add(lle.getPriority());
                if (lle.getLbEndpointsCount() > 0 && lle.getLoadBalancingWeight().getValue() == 0) {
                    out.add(what + ": locality " + lle.getLocality().getRegion() + "/" + lle.getLocality().getZone()
                            + "/" + lle.getLocality().getSubZone() + " has no load_balancing_weight");
                }
            }
            if (!priorities.isEmpty() && priorities.last() != priorities.size() - 1) {
                out.add(what + ": priorities " + priorities + " are not dense from 0");
            }
        } catch (InvalidProtocolBufferException e) {
            out.add(what + ": unreadable: " + e.getMessage());
        }
    }

    private static void sameName(String what, String actual, String key, List<String> out) {
        if (!actual.equals(key)) {
            out.add(what + ": is stored under that name but named \"" + actual + "\"");
        }
    }
}
