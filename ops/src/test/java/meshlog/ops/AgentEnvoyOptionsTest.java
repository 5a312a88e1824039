package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code meshlog agent --envoy} makes of its flags and of the variables the injector's sidecar template sets
 * (the same names as there): the node in the bootstrap, the binary, the ports; and the usage errors it refuses with
 * before anything starts.
 */
class AgentEnvoyOptionsTest {

    @TempDir
    Path tmp;

    /** What the injected container has in its environment, as SidecarTemplate sets it. */
    static Map<String, String> pod(Path envoy) {
        Map<String, String> env = new HashMap<>(Map.of("POD_NAME", "reviews-v1-7f9", "POD_NAMESPACE", "bookinfo",
                "INSTANCE_IP", "10.1.2.3", "SERVICE_ACCOUNT", "bookinfo-reviews", "ISTIO_META_CLUSTER_ID", "east",
                "ISTIO_META_INTERCEPTION_MODE", "REDIRECT",
                "ISTIO_METAJSON_LABELS", "{\"app\":\"reviews\",\"version\":\"v1\"}"));
        env.put("MESHLOG_ENVOY", envoy.toString());
        return env;
    }

    private Path fakeEnvoy() throws Exception {
        Path envoy = Files.writeString(tmp.resolve("envoy"), "#!/bin/sh\n");
        assertThat(envoy.toFile().setExecutable(true)).isTrue();
        return envoy;
    }

    private static AgentEnvoyOptions parse(Map<String, String> env, String... flags) {
        Set<String> known = new java.util.HashSet<>(AgentCommand.ENVOY_FLAGS);
        known.add("node-id");
        return AgentEnvoyOptions.parse(Flags.parse(List.of(flags), known, Set.of()), env, null,
                Path.of("/etc/istio/proxy/meshlog-agent.sock"), null);
    }

    @Test
    void theInjectedEnvironmentMakesTheNodeAsPilotAgentDoes() throws Exception {
        Path envoy = fakeEnvoy();
        AgentEnvoyOptions o = parse(pod(envoy));
        EnvoyBootstrap b = o.bootstrap();
        assertThat(b.nodeId()).isEqualTo("sidecar~10.1.2.3~reviews-v1-7f9.bookinfo~bookinfo.svc.cluster.local");
        assertThat(b.labels()).isEqualTo(Map.of("app", "reviews", "version", "v1"));
        assertThat(b.serviceAccount()).isEqualTo("bookinfo-reviews");
        assertThat(b.cluster()).isEqualTo("east");
        assertThat(b.interception()).isEqualTo("REDIRECT");
        assertThat(b.adminPort()).isEqualTo(15000);
        assertThat(b.agentSocket()).isEqualTo("/etc/istio/proxy/meshlog-agent.sock");
        assertThat(o.binary()).isEqualTo(envoy);
        assertThat(o.workDir()).isEqualTo(Path.of("/etc/istio/proxy"));
        assertThat(o.statusPort()).isEqualTo(15021);
        assertThat(o.statusBind()).isEqualTo("0.0.0.0");
        assertThat(b.json().at("/node/metadata/LABELS/version").asText()).isEqualTo("v1");
        assertThat(b.json().at("/static_resources/clusters/0/load_assignment/endpoints/0/lb_endpoints/0/endpoint"
                + "/address/pipe/path").asText()).isEqualTo("/etc/istio/proxy/meshlog-agent.sock");
    }

    @Test
    void flagsWinOverTheEnvironment() throws Exception {
        AgentEnvoyOptions o = parse(pod(fakeEnvoy()), "--node-id", "sidecar~127.0.0.1~web-1.ns1~ns1.svc.cluster.local",
                "--labels", "app=web", "--service-account", "sa1", "--interception", "none", "--admin-port", "0",
                "--status-port", "0", "--status-bind", "127.0.0.1", "--envoy-dir", tmp.toString());
        assertThat(o.bootstrap().nodeId()).isEqualTo("sidecar~127.0.0.1~web-1.ns1~ns1.svc.cluster.local");
        assertThat(o.bootstrap().labels()).isEqualTo(Map.of("app", "web"));
        assertThat(o.bootstrap().serviceAccount()).isEqualTo("sa1");
        assertThat(o.bootstrap().interception()).isEqualTo("NONE");
        assertThat(o.bootstrap().adminPort()).isZero();
        assertThat(o.statusPort()).isZero();
        assertThat(o.workDir()).isEqualTo(tmp);
    }

    @Test
    void whatIsMissingOrMalformedIsNamed() throws Exception {
        Map<String, String> env = pod(fakeEnvoy());
        env.remove("POD_NAME");
        assertThatThrownBy(() -> parse(env)).hasMessageContaining("--node-id").hasMessageContaining("POD_NAME");
        env.put("POD_NAME", "p");
        env.remove("ISTIO_META_CLUSTER_ID");
        assertThatThrownBy(() -> parse(env)).hasMessageContaining("--cluster NAME or ISTIO_META_CLUSTER_ID");
        env.put("ISTIO_META_CLUSTER_ID", "east");
        env.put("ISTIO_METAJSON_LABELS", "{\"app\": [1]}");
        assertThatThrownBy(() -> parse(env)).hasMessageStartingWith(
                "ISTIO_METAJSON_LABELS is not a JSON object of strings");
        env.put("ISTIO_METAJSON_LABELS", "{\"a\":\"" + "x".repeat(AgentEnvoyOptions.MAX_LABELS_JSON) + "\"}");
        assertThatThrownBy(() -> parse(env)).hasMessageContaining("more than " + AgentEnvoyOptions.MAX_LABELS_JSON);
        env.remove("ISTIO_METAJSON_LABELS");
        assertThatThrownBy(() -> parse(env, "--interception", "TPROXY"))
                .hasMessage("--interception takes REDIRECT or NONE, got \"TPROXY\"");
        env.remove("MESHLOG_ENVOY");
        assertThatThrownBy(() -> parse(env, "--envoy-binary", tmp.resolve("nothing").toString()))
                .hasMessageContaining("is not an executable file");
        assertThatThrownBy(() -> parse(env)).hasMessageStartingWith("--envoy found no Envoy binary: run bin/install");
    }

    @Test
    void envoyFlagsWithoutEnvoyAreRefused() throws Exception {
        Path root = Files.writeString(tmp.resolve("root.pem"), "x");
        Path token = Files.writeString(tmp.resolve("t"), "x");
        assertThatThrownBy(() -> AgentCommand.parse(List.of("--xds", "127.0.0.1:1", "--root-cert", root.toString(),
                "--join-token-file", token.toString(), "--status-port", "1")))
                .hasMessage("--status-port is for Envoy, which the agent starts only with --envoy");
    }
}
