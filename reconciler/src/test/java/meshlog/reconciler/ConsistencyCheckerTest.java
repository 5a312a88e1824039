package meshlog.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.reconciler.ir.BackendIr;
import meshlog.reconciler.ir.BackendRef;
import meshlog.reconciler.ir.EndpointIr;
import meshlog.reconciler.ir.ApiListenerIr;
import meshlog.reconciler.ir.HttpFilterIr;
import meshlog.reconciler.ir.RouteActionIr;
import meshlog.reconciler.ir.RoutePolicyIr;
import meshlog.reconciler.ir.VirtualHostIr;
import meshlog.reconciler.ir.LocalityGroupIr;
import meshlog.reconciler.ir.LocalityIr;
import meshlog.reconciler.ir.MeshIr;
import meshlog.reconciler.ir.RouteIr;
import meshlog.reconciler.ir.RouteTableIr;
import meshlog.reconciler.ir.TextMatchIr;
import meshlog.reconciler.ir.WeightedBackendIr;
import meshlog.reconciler.xds.TypeUrls;
import meshlog.reconciler.xds.XdsResources;
import org.junit.jupiter.api.Test;

/** Feeds the checker IR that translation never produces, built straight into xDS. */
class ConsistencyCheckerTest {

    static final BackendRef A = new BackendRef("a.example", 80, "");
    static final BackendRef B = new BackendRef("a.example", 80, "b");

    static LocalityGroupIr group(int priority, int weight) {
        return new LocalityGroupIr(LocalityIr.parse("r/z" + priority), priority, weight,
                List.of(new EndpointIr("10.0.0." + (priority + 1), 80, 1)));
    }

    static RouteIr route(WeightedBackendIr... backends) {
        return new RouteIr("", TextMatchIr.ANY_PATH, List.of(), new RouteActionIr.Forward(List.of(backends)),
                RoutePolicyIr.NONE);
    }

    static MeshIr mesh(List<RouteIr> routes, List<BackendIr> backends) {
        return new MeshIr(List.of(new ApiListenerIr("a.example:80", "a.example:80", HttpFilterIr.ROUTER_ONLY)),
                List.of(new RouteTableIr("a.example:80", List.of(new VirtualHostIr("a.example:80",
                        List.of("a.example"), routes)))), List.copyOf(backends), List.of());
    }

    static final List<BackendIr> BOTH = List.of(new BackendIr(A, List.of(group(0, 1))),
            new BackendIr(B, List.of(group(0, 1), group(1, 1))));

    @Test
    void inboundChainsAreCheckedThroughTheirInlineRoutesAndMatches() {
        var chain = meshlog.reconciler.ir.InboundChainIr.of("0.0.0.0", 8080, true, "inbound|8080||");
        var twin = meshlog.reconciler.ir.InboundChainIr.of("0.0.0.0", 8080, false, "inbound|8080||");
        MeshIr ir = new MeshIr(List.of(meshlog.reconciler.ir.VirtualInboundIr.of(List.of(chain, twin))), List.of(),
                List.of(meshlog.reconciler.ir.BlackHoleClusterIr.INSTANCE,
                        meshlog.reconciler.ir.InboundClusterIr.PASSTHROUGH,
                        new meshlog.reconciler.ir.InboundClusterIr("inbound|9090||",
                                meshlog.reconciler.ir.InboundClusterIr.Kind.STATIC, "", 0, 0, false, false)),
                List.of());

        assertThat(ConsistencyChecker.problems(XdsResources.build(ir))).containsExactly(
                "listener virtualInbound filter_chains[1] inline route configuration inbound|8080|| virtual host"
                        + " inbound|http|8080 route[0]: refers to cluster \"inbound|8080||\", which the snapshot does"
                        + " not hold",
                "listener virtualInbound filter_chains[2]: matches exactly what filter_chains[1] matches",
                "listener virtualInbound filter_chains[2]: refers to cluster \"inbound|8080||\", which the snapshot"
                        + " does not hold",
                "cluster inbound|9090||: is STATIC without an endpoint address (only BlackHoleCluster may be)");
    }

    @Test
    void aTranslatedSnapshotIsConsistent() {
        MeshIr ir = mesh(List.of(route(new WeightedBackendIr(A, 1), new WeightedBackendIr(B, 3))), BOTH);

        assertThat(ConsistencyChecker.problems(XdsResources.build(ir))).isEmpty();
    }

    @Test
    void missingRouteConfigurationClusterAndAssignmentAreReported() {
        MeshIr ir = mesh(List.of(route(new WeightedBackendIr(new BackendRef("gone.example", 80, ""), 1))), BOTH);
        Map<String, Map<String, byte[]>> resources = new TreeMap<>(XdsResources.build(ir));
        resources.put(TypeUrls.ROUTE, Map.of());
        Map<String, Map<String, byte[]>> noEndpoints = new TreeMap<>(XdsResources.build(ir));
        noEndpoints.put(TypeUrls.ENDPOINT, Map.of());

        assertThat(ConsistencyChecker.problems(resources)).containsExactly("listener a.example:80: refers to route "
                + "configuration \"a.example:80\", which the snapshot does not hold");
        assertThat(ConsistencyChecker.problems(noEndpoints)).containsExactly(
                "route configuration a.example:80 virtual host a.example:80 route[0]: refers to cluster "
                        + "\"outbound|80||gone.example\", which the snapshot does not hold",
                "cluster outbound|80|b|a.example: has no endpoint assignment \"outbound|80|b|a.example\" in the "
                        + "snapshot",
                "cluster outbound|80||a.example: has no endpoint assignment \"outbound|80||a.example\" in the "
                        + "snapshot");
    }

    @Test
    void whatTheGrpcClientWouldNackIsReported() {
        MeshIr ir = mesh(List.of(route(new WeightedBackendIr(A, 0), new WeightedBackendIr(B, 0))), List.of(
                new BackendIr(A, List.of(group(1, 1))), new BackendIr(B, List.of(group(0, 0)))));

        assertThat(ConsistencyChecker.problems(XdsResources.build(ir))).containsExactly(
                "route configuration a.example:80 virtual host a.example:80 route[0]: weighted cluster weights sum "
                        + "to 0; must be 1..4294967295",
                "endpoint assignment outbound|80|b|a.example: locality r/z0/ has no load_balancing_weight",
                "endpoint assignment outbound|80||a.example: priorities [1] are not dense from 0");
    }

    @Test
    void aResourceStoredUnderAnotherNameOrUnreadableIsReported() {
        Map<String, Map<String, byte[]>> resources = new TreeMap<>(XdsResources.build(mesh(List.of(), BOTH)));
        Map<String, byte[]> clusters = new TreeMap<>(resources.get(TypeUrls.CLUSTER));
        clusters.put("renamed", clusters.get(A.clusterName()));
        clusters.put("garbage", new byte[] {(byte) 0xff, 0x01});
        resources.put(TypeUrls.CLUSTER, clusters);

        assertThat(ConsistencyChecker.problems(resources)).hasSize(3)
                .anySatisfy(p -> assertThat(p).startsWith("cluster garbage: unreadable"))
                .contains("cluster renamed: is stored under that name but named \"outbound|80||a.example\"",
                        "cluster renamed: has no endpoint assignment \"renamed\" in the snapshot");
    }

    @Test
    void theExceptionListsEveryProblem() {
        InconsistentSnapshotException e = new InconsistentSnapshotException("east", List.of("one", "two"));

        assertThat(e).hasMessage("snapshot for cluster east is inconsistent (2 problems):\n  one\n  two");
        assertThat(e.problems()).containsExactly("one", "two");
    }
}
