package meshlog.xdscheck;

import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import java.util.List;

/** A route configuration's routes, from RDS or inline in an HTTP connection manager. */
final class RouteCheck {

    private RouteCheck() {
    }

    /** @param where what holds {@code rc} inline ({@code ""} for one from RDS) */
    static void check(String where, RouteConfiguration rc, SnapshotCheck.Held held, List<String> out) {
        String prefix = (where.isEmpty() ? "" : where + " ") + "route configuration " + rc.getName();
        for (VirtualHost vh : rc.getVirtualHostsList()) {
            for (int i = 0; i < vh.getRoutesCount(); i++) {
                route(prefix + " virtual host " + vh.getName() + " route[" + i + "]", vh.getRoutes(i), held, out);
            }
        }
    }

    private static void route(String what, Route r, SnapshotCheck.Held held, List<String> out) {
        if (r.hasRedirect() || r.hasDirectResponse()) {
            return;
        }
        if (!r.hasRoute()) {
            out.add(what + ": has no route action");
            return;
        }
        RouteAction a = r.getRoute();
        a.getRequestMirrorPoliciesList().forEach(m -> clusterExists(what + " mirror", m.getCluster(), held, out));
        if (a.hasWeightedClusters()) {
            long total = 0;
            for (WeightedCluster.ClusterWeight cw : a.getWeightedClusters().getClustersList()) {
                total += Integer.toUnsignedLong(cw.getWeight().getValue());
                clusterExists(what, cw.getName(), held, out);
            }
            if (total == 0 || total > XdsLimits.MAX_TOTAL_WEIGHT) {
                out.add(what + ": weighted cluster weights sum to " + total + "; must be 1.."
                        + XdsLimits.MAX_TOTAL_WEIGHT);
            }
        } else if (!a.getCluster().isEmpty()) {
            clusterExists(what, a.getCluster(), held, out);
        } else {
            out.add(what + ": names no cluster");
        }
    }

    static void clusterExists(String what, String cluster, SnapshotCheck.Held held, List<String> out) {
        if (!held.clusters().contains(cluster)) {
            out.add(what + ": refers to cluster \"" + cluster + "\", which the snapshot does not hold");
        }
    }
}
