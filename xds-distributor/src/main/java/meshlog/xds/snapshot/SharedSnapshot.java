package meshlog.xds.snapshot;

import io.envoyproxy.controlplane.cache.SnapshotResources;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;

/**
 * A java-control-plane snapshot whose routing resources are shared: every proxy group of a scope (and every scope
 * with identical content) points at the same {@link Routing}, built once per decoded snapshot, and only the group's
 * secrets are its own. {@code Snapshot.create} would instead rebuild the name → versioned-resource maps of every
 * type for every group on every push: at 500 groups of 4,000 resources, two million map entries per commit.
 */
final class SharedSnapshot extends Snapshot {

    /** The routing half of a snapshot, as java-control-plane indexes it. */
    record Routing(SnapshotResources<Cluster> clusters, SnapshotResources<ClusterLoadAssignment> endpoints,
                   SnapshotResources<Listener> listeners, SnapshotResources<RouteConfiguration> routes) {
    }

    private final Routing routing;
    private final SnapshotResources<Secret> secrets;

    SharedSnapshot(Routing routing, SnapshotResources<Secret> secrets) {
        this.routing = routing;
        this.secrets = secrets;
    }

    @Override
    public SnapshotResources<Cluster> clusters() {
        return routing.clusters();
    }

    @Override
    public SnapshotResources<ClusterLoadAssignment> endpoints() {
        return routing.endpoints();
    }

    @Override
    public SnapshotResources<Listener> listeners() {
        return routing.listeners();
    }

    @Override
    public SnapshotResources<RouteConfiguration> routes() {
        return routing.routes();
    }

    @Override
    public SnapshotResources<Secret> secrets() {
        return secrets;
    }

    /**
     * The same as the base class's, restated: java-control-plane's generic signatures here differ only in a wildcard
     * bound, which its own compiler accepted as an override and javac, for a subclass, does not.
     */
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public java.util.Map versionedResources(io.envoyproxy.controlplane.cache.Resources.ResourceType type) {
        return super.versionedResources(type);
    }
}
