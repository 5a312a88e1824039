package meshlog.xds.snapshot;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.SnapshotResources;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.List;
import java.util.Map;

/**
 * One scope's LDS/RDS/CDS/EDS resources as Envoy protos, shared by every proxy group the scope serves.
 *
 * @param version the {@code ScopeSnapshot} version (a content hash: equal on every replica)
 * @param typeVersions by type URL: a hash of that type's resources only, so an unchanged type is not resent
 * @param routing the same resources indexed as java-control-plane serves them, built once here
 */
public record DecodedSnapshot(String cluster, String version, String commit,
                              List<Cluster> clusters, List<ClusterLoadAssignment> endpoints,
                              List<Listener> listeners, List<RouteConfiguration> routes,
                              Map<String, String> typeVersions, SharedSnapshot.Routing routing) {

    public DecodedSnapshot {
        clusters = List.copyOf(clusters);
        endpoints = List.copyOf(endpoints);
        listeners = List.copyOf(listeners);
        routes = List.copyOf(routes);
        typeVersions = Map.copyOf(typeVersions);
    }

    /** Decoded resources, indexed for serving once. */
    public static DecodedSnapshot of(String cluster, String version, String commit, List<Cluster> clusters,
                                     List<ClusterLoadAssignment> endpoints, List<Listener> listeners,
                                     List<RouteConfiguration> routes, Map<String, String> typeVersions) {
        String none = "";
        SharedSnapshot.Routing routing = new SharedSnapshot.Routing(
                SnapshotResources.create(clusters, typeVersions.getOrDefault(Resources.V3.CLUSTER_TYPE_URL, none)),
                SnapshotResources.create(endpoints, typeVersions.getOrDefault(Resources.V3.ENDPOINT_TYPE_URL, none)),
                SnapshotResources.create(listeners, typeVersions.getOrDefault(Resources.V3.LISTENER_TYPE_URL, none)),
                SnapshotResources.create(routes, typeVersions.getOrDefault(Resources.V3.ROUTE_TYPE_URL, none)));
        return new DecodedSnapshot(cluster, version, commit, clusters, endpoints, listeners, routes, typeVersions,
                routing);
    }

    /** What is served before the first snapshot: nothing, at version "" (a request at "" waits for a real one). */
    public static DecodedSnapshot empty(String cluster) {
        return of(cluster, "", "", List.of(), List.of(), List.of(), List.of(), Map.of());
    }

    /** The same resources (shared, not copied) as published by {@code commit}. */
    public DecodedSnapshot withCommit(String commit) {
        return new DecodedSnapshot(cluster, version, commit, clusters, endpoints, listeners, routes, typeVersions,
                routing);
    }

    public int resourceCount() {
        return clusters.size() + endpoints.size() + listeners.size() + routes.size();
    }

    /** The version of one type ({@code ""} when the snapshot has no version for it). */
    public String typeVersion(String typeUrl) {
        return typeVersions.getOrDefault(typeUrl, "");
    }

    /** The cache snapshot for one proxy group: these shared resources plus the group's own secrets. */
    public Snapshot servedWith(List<Secret> secrets, String secretsVersion) {
        return new SharedSnapshot(routing, SnapshotResources.create(secrets, secretsVersion));
    }
}
