package meshlog.xdscheck;

import java.util.List;

/** The xDS v3 type URLs of the resources a snapshot holds (the keys of {@code ScopeSnapshot.resources()}). */
public final class TypeUrls {

    public static final String LISTENER = "type.googleapis.com/envoy.config.listener.v3.Listener";
    public static final String ROUTE = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    public static final String CLUSTER = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    public static final String ENDPOINT = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

    /** In ADS push order: CDS, EDS, LDS, RDS. */
    public static final List<String> ALL = List.of(CLUSTER, ENDPOINT, LISTENER, ROUTE);

    private TypeUrls() {
    }
}
