package meshlog.xdscheck;

import static meshlog.xdscheck.Xds.consistent;
import static meshlog.xdscheck.Xds.put;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One test per problem a route can have, each with its exact message. */
class RouteCheckTest {

    static List<String> problemsWith(RouteAction action) {
        return problemsWith(Xds.routes("svc:80", action));
    }

    static List<String> problemsWith(RouteConfiguration rc) {
        Map<String, Map<String, byte[]>> r = consistent();
        put(r, TypeUrls.ROUTE, "svc:80", rc);
        return SnapshotCheck.problems(r);
    }

    static WeightedCluster weights(Map<String, Integer> byCluster) {
        WeightedCluster.Builder w = WeightedCluster.newBuilder();
        byCluster.forEach((c, weight) -> w.addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(c)
                .setWeight(UInt32Value.of(weight))));
        return w.build();
    }

    @Test
    void aRouteToAMissingCluster() {
        assertThat(problemsWith(RouteAction.newBuilder().setCluster("gone").build())).containsExactly(
                "route configuration svc:80 virtual host vh route[0]: refers to cluster \"gone\", which the snapshot"
                        + " does not hold");
    }

    @Test
    void aRouteNamingNoCluster() {
        assertThat(problemsWith(RouteAction.newBuilder().setClusterHeader("x-cluster").build())).containsExactly(
                "route configuration svc:80 virtual host vh route[0]: names no cluster");
    }

    @Test
    void aRouteWithoutAction() {
        RouteConfiguration rc = Xds.routes("svc:80", RouteAction.getDefaultInstance()).toBuilder()
                .setVirtualHosts(0, Xds.routes("svc:80", RouteAction.getDefaultInstance()).getVirtualHosts(0)
                        .toBuilder().setRoutes(0, Route.getDefaultInstance())).build();

        assertThat(problemsWith(rc)).containsExactly("route configuration svc:80 virtual host vh route[0]: has no route"
                + " action");
    }

    @Test
    void redirectsAndDirectResponsesNeedNoCluster() {
        RouteConfiguration base = Xds.routes("svc:80", RouteAction.getDefaultInstance());
        RouteConfiguration rc = base.toBuilder().setVirtualHosts(0, base.getVirtualHosts(0).toBuilder()
                .setRoutes(0, Route.newBuilder().setRedirect(RedirectAction.newBuilder().setHostRedirect("x")))
                .addRoutes(Route.newBuilder().setDirectResponse(DirectResponseAction.newBuilder().setStatus(503))))
                .build();

        assertThat(problemsWith(rc)).isEmpty();
    }

    @Test
    void aMirrorToAMissingCluster() {
        RouteAction mirrored = RouteAction.newBuilder().setCluster("c").addRequestMirrorPolicies(
                RouteAction.RequestMirrorPolicy.newBuilder().setCluster("gone")).build();

        assertThat(problemsWith(mirrored)).containsExactly("route configuration svc:80 virtual host vh route[0] mirror:"
                + " refers to cluster \"gone\", which the snapshot does not hold");
    }

    @Test
    void weightsMustSumToOneToTheLargestUint32() {
        assertThat(problemsWith(RouteAction.newBuilder().setWeightedClusters(weights(Map.of("c", 0, "gone", 0)))
                .build())).containsExactly(
                "route configuration svc:80 virtual host vh route[0]: refers to cluster \"gone\", which the snapshot"
                        + " does not hold",
                "route configuration svc:80 virtual host vh route[0]: weighted cluster weights sum to 0; must be "
                        + "1..4294967295");
        WeightedCluster over = WeightedCluster.newBuilder()
                .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName("c").setWeight(UInt32Value.of(-1)))
                .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName("c").setWeight(UInt32Value.of(2)))
                .build();
        assertThat(problemsWith(RouteAction.newBuilder().setWeightedClusters(over).build())).containsExactly(
                "route configuration svc:80 virtual host vh route[0]: weighted cluster weights sum to 4294967297; "
                        + "must be 1..4294967295");
    }
}
