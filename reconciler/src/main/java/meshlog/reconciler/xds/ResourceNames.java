package meshlog.reconciler.xds;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;

/** The xDS resource name of a message: its {@code name}, or {@code cluster_name} for an assignment. */
final class ResourceNames {

    private ResourceNames() {
    }

    static String of(Message m) {
        if (m instanceof Listener l) {
            return l.getName();
        }
        if (m instanceof RouteConfiguration r) {
            return r.getName();
        }
        if (m instanceof Cluster c) {
            return c.getName();
        }
        if (m instanceof ClusterLoadAssignment a) {
            return a.getClusterName();
        }
        throw new IllegalArgumentException("not an xDS resource meshlog serves: " + m.getDescriptorForType());
    }
}
