package meshlog.xdscheck;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** A listener: an API listener's connection manager, or a socket listener's filter chains. */
final class ListenerCheck {

    private static final Comparator<CidrRange> CIDR_ORDER =
            Comparator.comparing(r -> r.getAddressPrefix() + "/" + r.getPrefixLen().getValue());

    private ListenerCheck() {
    }

    static void check(String name, Listener l, SnapshotCheck.Held held, List<String> out)
            throws InvalidProtocolBufferException {
        String what = "listener " + name;
        if (l.hasApiListener()) {
            hcm(what, l.getApiListener().getApiListener(), held, out);
            return;
        }
        if (l.getFilterChainsCount() == 0 && !l.hasDefaultFilterChain()) {
            out.add(what + ": has neither an api_listener nor a filter chain");
        }
        Map<FilterChainMatch, Integer> matches = new HashMap<>();
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
            chain(where, chain, held, out);
        }
    }

    private static void chain(String where, FilterChain chain, SnapshotCheck.Held held, List<String> out)
            throws InvalidProtocolBufferException {
        int n = chain.getFiltersCount();
        if (n == 0) {
            out.add(where + ": has no network filter");
            return;
        }
        // A connection manager before the last filter is checked too (its routes would be served).
        for (int f = 0; f < n - 1; f++) {
            Any config = chain.getFilters(f).getTypedConfig();
            if (config.is(HttpConnectionManager.class)) {
                hcm(where + " filters[" + f + "]", config, held, out);
            }
        }
        Any last = chain.getFilters(n - 1).getTypedConfig();
        if (last.is(TcpProxy.class)) {
            tcpProxy(where, last.unpack(TcpProxy.class), held, out);
        } else {
            hcm(where, last, held, out);
        }
    }

    /** The match with its lists sorted: Envoy compares them as sets. */
    private static FilterChainMatch normalized(FilterChainMatch m) {
        return m.toBuilder().clearServerNames().addAllServerNames(new TreeSet<>(m.getServerNamesList()))
                .clearPrefixRanges().addAllPrefixRanges(m.getPrefixRangesList().stream().sorted(CIDR_ORDER).toList())
                .clearSourcePrefixRanges()
                .addAllSourcePrefixRanges(m.getSourcePrefixRangesList().stream().sorted(CIDR_ORDER).toList())
                .build();
    }

    private static void tcpProxy(String where, TcpProxy tcp, SnapshotCheck.Held held, List<String> out) {
        if (tcp.hasWeightedClusters()) {
            long total = 0;
            for (TcpProxy.WeightedCluster.ClusterWeight cw : tcp.getWeightedClusters().getClustersList()) {
                total += Integer.toUnsignedLong(cw.getWeight());
                RouteCheck.clusterExists(where, cw.getName(), held, out);
            }
            if (total == 0 || total > XdsLimits.MAX_TOTAL_WEIGHT) {
                out.add(where + ": tcp_proxy weighted cluster weights sum to " + total + "; must be 1.."
                        + XdsLimits.MAX_TOTAL_WEIGHT);
            }
        } else if (tcp.getCluster().isEmpty()) {
            out.add(where + ": tcp_proxy names no cluster");
        } else {
            RouteCheck.clusterExists(where, tcp.getCluster(), held, out);
        }
    }

    private static void hcm(String what, Any config, SnapshotCheck.Held held, List<String> out)
            throws InvalidProtocolBufferException {
        if (!config.is(HttpConnectionManager.class)) {
            out.add(what + ": the last network filter is not an HttpConnectionManager or a tcp_proxy but "
                    + config.getTypeUrl());
            return;
        }
        HttpConnectionManager hcm = config.unpack(HttpConnectionManager.class);
        if (hcm.hasRouteConfig()) {
            // An inbound chain's routes are inline (as Istio's): check them as RDS ones are checked.
            RouteCheck.check(what + " inline", hcm.getRouteConfig(), held, out);
        } else if (!hcm.hasRds()) {
            out.add(what + ": takes its routes neither from RDS nor inline");
        } else if (!held.routes().contains(hcm.getRds().getRouteConfigName())) {
            out.add(what + ": refers to route configuration \"" + hcm.getRds().getRouteConfigName()
                    + "\", which the snapshot does not hold");
        }
        int n = hcm.getHttpFiltersCount();
        if (n == 0 || !hcm.getHttpFilters(n - 1).getName().equals(XdsLimits.ROUTER_FILTER)) {
            out.add(what + ": the last HTTP filter must be the router");
        }
    }
}
