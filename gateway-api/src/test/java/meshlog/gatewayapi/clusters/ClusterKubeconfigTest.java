package meshlog.gatewayapi.clusters;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.model.MeshCluster;
import org.junit.jupiter.api.Test;

/** {@code Cluster.spec.kubeconfig}: where to find the credential, never the credential. */
class ClusterKubeconfigTest {

    private static ConfigCompiler.CompiledConfig compile(String kubeconfigLine) {
        String yaml = """
                apiVersion: meshlog.dev/v1alpha1
                kind: Cluster
                metadata: {name: west}
                spec:
                  network: net-2
                %s
                """.formatted(kubeconfigLine);
        return ConfigCompiler.compile(Map.of("clusters/west.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anAbsolutePathIsKept() {
        ConfigCompiler.CompiledConfig c = compile("  kubeconfig: /etc/meshlog/clusters/west.kubeconfig");
        assertThat(c.errors()).isEmpty();
        MeshCluster west = (MeshCluster) c.resources().get(0).resource();
        assertThat(west.kubeconfig()).isEqualTo("/etc/meshlog/clusters/west.kubeconfig");
        assertThat(west.network()).isEqualTo("net-2");
    }

    @Test
    void withoutItTheClusterHasNone() {
        ConfigCompiler.CompiledConfig c = compile("");
        assertThat(((MeshCluster) c.resources().get(0).resource()).kubeconfig()).isEmpty();
    }

    @Test
    void aRelativePathOrAPastedKubeconfigIsRefusedAtItsLine() {
        assertThat(errors(compile("  kubeconfig: west.kubeconfig"))).containsExactly("clusters/west.yaml:6:3: error"
                + " [ML0018] Cluster default/west spec.kubeconfig: must be an absolute path (it is read by the node"
                + " that runs meshlog, whatever its working directory), got \"west.kubeconfig\"");
        assertThat(errors(compile("  kubeconfig: |\n    apiVersion: v1\n    users: [{name: a, user: {token: s3cr3t}}]")))
                .containsExactly("clusters/west.yaml:6:3: error"
                + " [ML0018] Cluster default/west spec.kubeconfig: must be the path of a kubeconfig file on the machine"
                + " that runs meshlog, not the kubeconfig itself: credentials never go into git");
    }

    private static List<String> errors(ConfigCompiler.CompiledConfig c) {
        return c.errors().stream().map(Diagnostic::format).toList();
    }
}
