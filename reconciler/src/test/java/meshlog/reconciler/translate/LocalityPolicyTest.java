package meshlog.reconciler.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import meshlog.reconciler.ir.EndpointIr;
import meshlog.reconciler.ir.LocalityGroupIr;
import meshlog.reconciler.ir.LocalityIr;
import meshlog.reconciler.ir.WorkloadIr;
import org.junit.jupiter.api.Test;

class LocalityPolicyTest {

    static WorkloadIr at(String address, String locality, int weight) {
        return new WorkloadIr(address, 80, Map.of(), LocalityIr.parse(locality), weight);
    }

    static List<String> summary(List<LocalityGroupIr> groups) {
        return groups.stream().map(g -> g.priority() + " " + g.locality() + " w" + g.weight() + " "
                + g.endpoints().stream().map(EndpointIr::address).toList()).toList();
    }

    final List<WorkloadIr> workloads = List.of(
            at("10.0.0.3", "us-east/a", 2), at("10.0.0.1", "us-east/a", 1), at("10.0.1.1", "us-east/b", 1),
            at("10.1.0.1", "us-west/a/r1", 1), at("10.9.0.1", "", 4));

    @Test
    void withOutlierDetectionPrioritiesAreGradedByRegionZoneAndSubzoneThenMadeDense() {
        assertThat(summary(LocalityPolicy.group(workloads, LocalityIr.parse("us-east/a"), true))).containsExactly(
                "0 us-east/a/ w3 [10.0.0.1, 10.0.0.3]",
                "1 us-east/b/ w1 [10.0.1.1]",
                "2 // w4 [10.9.0.1]",
                "2 us-west/a/r1 w1 [10.1.0.1]");
        assertThat(summary(LocalityPolicy.group(workloads, LocalityIr.parse("us-east/a/r9"), true)))
                .as("same zone, other subzone: grade 1, the best present, becomes priority 0")
                .startsWith("0 us-east/a/ w3 [10.0.0.1, 10.0.0.3]", "1 us-east/b/ w1 [10.0.1.1]");
    }

    @Test
    void withoutOutlierDetectionThereIsNoFailoverAsInIstio() {
        assertThat(LocalityPolicy.group(workloads, LocalityIr.parse("us-east/a"), false))
                .extracting(LocalityGroupIr::priority).containsOnly(0);
    }

    @Test
    void aRegionScopeContainsEveryZoneOfIt() {
        assertThat(summary(LocalityPolicy.group(workloads, LocalityIr.parse("us-east"), true)))
                .filteredOn(s -> s.startsWith("0 ")).hasSize(2);
    }

    @Test
    void withoutALocalEndpointOrADeclaredLocalityEverythingIsPriorityZero() {
        assertThat(LocalityPolicy.group(workloads, LocalityIr.parse("eu-north/x"), true)).extracting(
                LocalityGroupIr::priority).containsOnly(0);
        assertThat(LocalityPolicy.group(workloads, LocalityIr.NONE, true)).extracting(LocalityGroupIr::priority)
                .containsOnly(0);
        assertThat(LocalityPolicy.group(List.of(), LocalityIr.parse("us-east"), true)).isEmpty();
    }

    @Test
    void localityWeightsOfOnePriorityNeverSumPastUint32() {
        List<LocalityGroupIr> groups = LocalityPolicy.group(List.of(at("10.0.0.1", "r/z", Integer.MAX_VALUE),
                at("10.0.0.2", "r/z", Integer.MAX_VALUE), at("10.0.0.3", "r/y", Integer.MAX_VALUE),
                at("10.0.0.4", "r/x", Integer.MAX_VALUE)), LocalityIr.NONE, false);

        assertThat(groups).hasSize(3).allSatisfy(g -> assertThat(g.weight()).isPositive());
        assertThat(groups.stream().mapToLong(LocalityGroupIr::weight).sum()).isLessThanOrEqualTo(0xFFFF_FFFFL);
    }
}
