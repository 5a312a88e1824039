package meshlog.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.xds.Mesh;
import org.junit.jupiter.api.Test;

class ReferencesTest {

    @Test
    void aCompleteSnapshotHasNoDanglingReference() {
        DecodedSnapshot snapshot = SnapshotDecoderTest.decoded(SnapshotDecoderTest.split(80, 20));
        assertThat(References.dangling(snapshot)).isEmpty();
    }

    @Test
    void namesMissingRouteConfigurationsAndEndpoints() {
        Map<String, Map<String, byte[]>> resources = new TreeMap<>();
        Mesh.put(resources, Resources.V3.LISTENER_TYPE_URL, Mesh.SERVICE, Mesh.listener());
        Mesh.put(resources, Resources.V3.LISTENER_TYPE_URL, "0.0.0.0_8080", sidecarListener("0.0.0.0_8080", "8080"));
        Mesh.put(resources, Resources.V3.CLUSTER_TYPE_URL, "a", Mesh.cluster("a"));

        assertThat(problems(resources)).containsExactlyInAnyOrder(
                "Listener 'svc.example:50051' names route configuration 'svc.example:50051', which is not in the snapshot",
                "Listener '0.0.0.0_8080' names route configuration '8080', which is not in the snapshot",
                "Cluster 'a' is of type EDS but the snapshot has no ClusterLoadAssignment 'a'");
    }

    @Test
    void namesRoutesToMissingClusters() {
        Map<String, Map<String, byte[]>> resources = new TreeMap<>();
        Mesh.put(resources, Resources.V3.LISTENER_TYPE_URL, Mesh.SERVICE, Mesh.listener());
        Mesh.put(resources, Resources.V3.ROUTE_TYPE_URL, Mesh.SERVICE, Mesh.route(Map.of("a", 1)));

        assertThat(problems(resources)).containsExactly("RouteConfiguration 'svc.example:50051' virtual host 'svc' "
                + "routes to cluster 'a', which is not in the snapshot");
    }

    @Test
    void namesClustersMissingFromAnInboundChainsInlineRoutes() {
        Map<String, Map<String, byte[]>> resources = new TreeMap<>();
        io.envoyproxy.envoy.config.route.v3.RouteConfiguration inline =
                io.envoyproxy.envoy.config.route.v3.RouteConfiguration.newBuilder().setName("inbound|8080||")
                        .addVirtualHosts(io.envoyproxy.envoy.config.route.v3.VirtualHost.newBuilder()
                                .setName("inbound|http|8080").addDomains("*")
                                .addRoutes(io.envoyproxy.envoy.config.route.v3.Route.newBuilder()
                                        .setRoute(io.envoyproxy.envoy.config.route.v3.RouteAction.newBuilder()
                                                .setCluster("inbound|8080||"))))
                        .build();
        Listener inbound = Listener.newBuilder().setName("virtualInbound").addFilterChains(FilterChain.newBuilder()
                .addFilters(Filter.newBuilder().setName("envoy.filters.network.http_connection_manager")
                        .setTypedConfig(Any.pack(HttpConnectionManager.newBuilder().setRouteConfig(inline).build()))))
                .build();
        Mesh.put(resources, Resources.V3.LISTENER_TYPE_URL, "virtualInbound", inbound);

        assertThat(problems(resources)).containsExactly("Listener 'virtualInbound' inline RouteConfiguration "
                + "'inbound|8080||' virtual host 'inbound|http|8080' routes to cluster 'inbound|8080||', which is not"
                + " in the snapshot");
    }

    static List<String> problems(Map<String, Map<String, byte[]>> resources) {
        SnapshotDecoder.Result result = SnapshotDecoder.decode(Mesh.of("east", resources));
        assertThat(result).isInstanceOf(SnapshotDecoder.Refused.class);
        return ((SnapshotDecoder.Refused) result).problems();
    }

    static Listener sidecarListener(String name, String routeName) {
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
                .setRds(Rds.newBuilder().setRouteConfigName(routeName))
                .build();
        return Listener.newBuilder()
                .setName(name)
                .addFilterChains(FilterChain.newBuilder().addFilters(Filter.newBuilder()
                        .setName("envoy.filters.network.http_connection_manager")
                        .setTypedConfig(Any.pack(hcm))))
                .build();
    }
}
