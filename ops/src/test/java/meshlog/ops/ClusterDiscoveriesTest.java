package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.model.MeshCluster;
import meshlog.gatewayapi.model.ObjectMeta;
import org.junit.jupiter.api.Test;

/** Which discoveries {@code up} runs: {@code --kubeconfig}'s, then each Cluster's {@code spec.kubeconfig}. */
class ClusterDiscoveriesTest {

    private static MeshCluster cluster(String name, String kubeconfig) {
        return new MeshCluster(new ObjectMeta(name, "default", Map.of(), Map.of()), "", "", kubeconfig);
    }

    @Test
    void theFlagWinsAndAClusterWithoutAKubeconfigIsNotDiscovered() {
        Map<String, Path> wanted = ClusterDiscoveries.wanted(Map.of("east", Path.of("/flags/east")),
                List.of(cluster("east", "/git/east"), cluster("west", "/git/west"), cluster("north", "")));
        assertThat(wanted).containsExactly(Map.entry("east", Path.of("/flags/east")),
                Map.entry("west", Path.of("/git/west")));
    }
}
