package meshlog.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.reconciler.ir.BackendIr;
import meshlog.reconciler.ir.BackendRef;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import meshlog.reconciler.ir.EndpointIr;
import meshlog.reconciler.ir.EndpointSource;
import meshlog.reconciler.ir.L4ChainIr;
import meshlog.reconciler.ir.TcpListenerIr;
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
                "listener virtualInbound filter_chains[2]: has the same filter_chain_match as filter_chains[1] (Envoy refuses the listener)",
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

    static L4ChainIr chain(List<String> sni, WeightedBackendIr... backends) {
        return new L4ChainIr(sni, List.of(), List.of(), List.of(backends), "tcp");
    }

    @Test
    void tcpListenerChainsAreCheckedForClustersWeightsAndDuplicateMatches() {
        BackendRef gone = new BackendRef("gone.example", 80, "");
        TcpListenerIr listener = new TcpListenerIr("0.0.0.0_443", "0.0.0.0", 443, false, List.of(
                chain(List.of("a.example", "b.example"), new WeightedBackendIr(A, 1), new WeightedBackendIr(gone, 1)),
                chain(List.of("b.example", "a.example"), new WeightedBackendIr(A, 1)),
                chain(List.of(), new WeightedBackendIr(A, 0), new WeightedBackendIr(B, 0))), null);
        MeshIr ir = new MeshIr(List.of(listener), List.of(), List.copyOf(BOTH), List.of());

        assertThat(ConsistencyChecker.problems(XdsResources.build(ir))).containsExactly(
                "listener 0.0.0.0_443 filter_chains[0]: refers to cluster \"outbound|80||gone.example\", which the "
                        + "snapshot does not hold",
                "listener 0.0.0.0_443 filter_chains[1]: has the same filter_chain_match as filter_chains[0] (Envoy "
                        + "refuses the listener)",
                "listener 0.0.0.0_443 default_filter_chain: tcp_proxy weighted cluster weights sum to 0; must be "
                        + "1..4294967295");
    }

    @Test
    void sniChainsNeedTheTlsInspectorAndDnsAndOriginalDestinationClustersTheirShape() {
        Map<String, Map<String, byte[]>> resources = new TreeMap<>(XdsResources.build(new MeshIr(List.of(
                new TcpListenerIr("0.0.0.0_443", "0.0.0.0", 443, false, List.of(chain(List.of("a.example"),
                        new WeightedBackendIr(A, 1))), "PassthroughCluster")), List.of(), List.of(
                new BackendIr(A, List.of(group(0, 1)), false, null, EndpointSource.LOGICAL_DNS),
                new BackendIr(B, List.of(group(0, 1), group(1, 1)), false, null, EndpointSource.LOGICAL_DNS)),
                List.of())));
        Map<String, byte[]> listeners = new TreeMap<>();
        resources.get(TypeUrls.LISTENER).forEach((name, bytes) -> listeners.put(name, strip(bytes)));
        resources.put(TypeUrls.LISTENER, listeners);
        Map<String, byte[]> clusters = new TreeMap<>(resources.get(TypeUrls.CLUSTER));
        clusters.put("odst", Cluster.newBuilder().setName("odst").setType(Cluster.DiscoveryType.ORIGINAL_DST)
                .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN).setLoadAssignment(ClusterLoadAssignment.newBuilder()
                        .setClusterName("odst")).build().toByteArray());
        clusters.put("ldns", Cluster.newBuilder().setName("ldns").setType(Cluster.DiscoveryType.LOGICAL_DNS).build()
                .toByteArray());
        resources.put(TypeUrls.CLUSTER, clusters);

        assertThat(ConsistencyChecker.problems(resources)).containsExactly(
                "listener 0.0.0.0_443 filter_chains[0]: matches server_names but the listener has no tls_inspector "
                        + "to read them",
                "listener 0.0.0.0_443 default_filter_chain: refers to cluster \"PassthroughCluster\", which the "
                        + "snapshot does not hold",
                "cluster ldns: a LOGICAL_DNS cluster needs exactly one endpoint, has 0",
                "cluster odst: an ORIGINAL_DST cluster needs lb_policy CLUSTER_PROVIDED, has ROUND_ROBIN",
                "cluster odst: an ORIGINAL_DST cluster must have no load_assignment",
                "cluster outbound|80|b|a.example: a LOGICAL_DNS cluster needs exactly one endpoint, has 2");
    }

    private static byte[] strip(byte[] listener) {
        try {
            return Listener.parseFrom(listener).toBuilder().clearListenerFilters().build().toByteArray();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theExceptionListsEveryProblem() {
        InconsistentSnapshotException e = new InconsistentSnapshotException("east", List.of("one", "two"));

        assertThat(e).hasMessage("snapshot for cluster east is inconsistent (2 problems):\n  one\n  two");
        assertThat(e.problems()).containsExactly("one", "two");
    }
}
