package meshlog.xdscheck;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The resources of the four checked xDS types that parsed, by the name they are stored under, sorted. A caller
 * serves them only when the check found no problem (then each one's own name is its stored name).
 */
public record DecodedResources(SortedMap<String, Listener> listeners, SortedMap<String, RouteConfiguration> routes,
                               SortedMap<String, Cluster> clusters,
                               SortedMap<String, ClusterLoadAssignment> endpoints) {

    public DecodedResources {
        listeners = Collections.unmodifiableSortedMap(new TreeMap<>(listeners));
        routes = Collections.unmodifiableSortedMap(new TreeMap<>(routes));
        clusters = Collections.unmodifiableSortedMap(new TreeMap<>(clusters));
        endpoints = Collections.unmodifiableSortedMap(new TreeMap<>(endpoints));
    }
}
