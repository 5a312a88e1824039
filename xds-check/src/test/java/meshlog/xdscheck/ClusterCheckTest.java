package meshlog.xdscheck;

import static meshlog.xdscheck.Xds.assignment;
import static meshlog.xdscheck.Xds.consistent;
import static meshlog.xdscheck.Xds.endpoint;
import static meshlog.xdscheck.Xds.put;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.clusters.dns.v3.DnsCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One test per problem a cluster or an endpoint assignment can have, each with its exact message. */
class ClusterCheckTest {

    static List<String> problemsWith(Cluster cluster) {
        Map<String, Map<String, byte[]>> r = consistent();
        put(r, TypeUrls.CLUSTER, cluster.getName(), cluster);
        return SnapshotCheck.problems(r);
    }

    static List<String> problemsWith(ClusterLoadAssignment cla) {
        Map<String, Map<String, byte[]>> r = consistent();
        put(r, TypeUrls.ENDPOINT, cla.getClusterName(), cla);
        return SnapshotCheck.problems(r);
    }

    static ClusterLoadAssignment inline(String name, int endpoints) {
        LocalityLbEndpoints.Builder l = LocalityLbEndpoints.newBuilder();
        for (int i = 0; i < endpoints; i++) {
            l.addLbEndpoints(endpoint("10.0.1." + i));
        }
        return ClusterLoadAssignment.newBuilder().setClusterName(name).addEndpoints(l).build();
    }

    @Test
    void anEdsClusterWithoutAssignmentUnderItsNameOrServiceName() {
        assertThat(problemsWith(Xds.eds("d"))).containsExactly(
                "cluster d: has no endpoint assignment \"d\" in the snapshot");
        assertThat(problemsWith(Xds.eds("d").toBuilder().setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
                .setServiceName("c")).build())).isEmpty();
    }

    @Test
    void aStaticClusterWithoutAnEndpointAddressButTheBlackHole() {
        Cluster empty = Cluster.newBuilder().setName("s").setType(Cluster.DiscoveryType.STATIC).build();

        assertThat(problemsWith(empty)).containsExactly(
                "cluster s: is STATIC without an endpoint address (only BlackHoleCluster may be)");
        assertThat(problemsWith(empty.toBuilder().setName("BlackHoleCluster").build())).isEmpty();
        assertThat(problemsWith(empty.toBuilder().setLoadAssignment(inline("s", 1)).build())).isEmpty();
    }

    @Test
    void aLogicalDnsClusterNeedsExactlyOneEndpointAsTypeOrDnsExtension() {
        Cluster logical = Cluster.newBuilder().setName("d").setType(Cluster.DiscoveryType.LOGICAL_DNS).build();
        Cluster extension = Cluster.newBuilder().setName("x").setClusterType(Cluster.CustomClusterType.newBuilder()
                .setName("envoy.cluster.dns").setTypedConfig(Any.pack(DnsCluster.newBuilder()
                        .setAllAddressesInSingleEndpoint(true).build()))).setLoadAssignment(inline("x", 2)).build();

        assertThat(problemsWith(logical)).containsExactly("cluster d: a LOGICAL_DNS cluster needs exactly one endpoint,"
                + " has 0");
        assertThat(problemsWith(extension)).containsExactly("cluster x: a LOGICAL_DNS cluster needs exactly one "
                + "endpoint, has 2");
        assertThat(problemsWith(logical.toBuilder().setLoadAssignment(inline("d", 1)).build())).isEmpty();
    }

    @Test
    void anOriginalDestinationClusterNeedsClusterProvidedAndNoAssignment() {
        Cluster odst = Cluster.newBuilder().setName("o").setType(Cluster.DiscoveryType.ORIGINAL_DST)
                .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN).setLoadAssignment(inline("o", 0)).build();

        assertThat(problemsWith(odst)).containsExactly(
                "cluster o: an ORIGINAL_DST cluster needs lb_policy CLUSTER_PROVIDED, has ROUND_ROBIN",
                "cluster o: an ORIGINAL_DST cluster must have no load_assignment");
        assertThat(problemsWith(odst.toBuilder().setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED).clearLoadAssignment()
                .build())).isEmpty();
    }

    @Test
    void aLocalityWithEndpointsNeedsAWeight() {
        assertThat(problemsWith(assignment("c", 0, 0))).containsExactly(
                "endpoint assignment c: locality r/z0/ has no load_balancing_weight");
    }

    @Test
    void prioritiesMustBeDenseFromZero() {
        assertThat(problemsWith(assignment("c", 0, 1, 2, 1))).containsExactly(
                "endpoint assignment c: priorities [0, 2] are not dense from 0");
        assertThat(problemsWith(assignment("c", 1, 1, 0, 1))).isEmpty();
    }
}
