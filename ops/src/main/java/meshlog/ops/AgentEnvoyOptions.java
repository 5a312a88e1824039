package meshlog.ops;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import meshlog.agent.StatusServer;
import meshlog.configstore.LogSafe;

/**
 * What {@code meshlog agent --envoy} adds to the agent: the Envoy bootstrap (as {@code meshlog bootstrap
 * --agent-socket} writes it), where Envoy runs from, and the status port. The node's facts come from flags, else
 * from the variables the injector sets through the downward API (pilot-agent's names: {@code POD_NAME},
 * {@code POD_NAMESPACE}, {@code INSTANCE_IP}, {@code SERVICE_ACCOUNT}, {@code ISTIO_META_CLUSTER_ID},
 * {@code ISTIO_META_INTERCEPTION_MODE}, {@code ISTIO_METAJSON_LABELS}). Pure: flags and environment in, a record out.
 *
 * @param workDir    where the bootstrap and Envoy's admin address file are written (the socket's directory unless
 *                   {@code --envoy-dir}: the pod's {@code istio-envoy} volume)
 * @param statusBind the status server's address (all interfaces by default: the kubelet probes the pod IP)
 */
record AgentEnvoyOptions(EnvoyBootstrap bootstrap, Path binary, Path workDir, String statusBind, int statusPort) {

    static final int MAX_LABELS_JSON = 64 * 1024;

    /**
     * @param cluster  {@code --cluster}, or null
     * @param socket   the agent's socket, which the bootstrap's {@code xds-grpc} and {@code sds-grpc} point at
     * @param checkout where to look for {@code .venv-envoy} when neither the flag nor {@code MESHLOG_ENVOY} names Envoy
     */
    static AgentEnvoyOptions parse(Flags f, Map<String, String> env, String cluster, Path socket, Path checkout) {
        String clusterId = cluster != null ? cluster : env.get("ISTIO_META_CLUSTER_ID");
        if (clusterId == null || clusterId.isBlank()) {
            throw new Flags.UsageException("--envoy needs the cluster for Envoy's node metadata: --cluster NAME or"
                    + " ISTIO_META_CLUSTER_ID");
        }
        String nodeId = f.get("node-id", null);
        if (nodeId == null) {
            nodeId = nodeIdFromEnvironment(env);
        }
        SidecarNodeId.parse(nodeId); // a clear usage error now rather than Envoy's later
        Map<String, String> labels = f.has("labels") ? Labels.parse(f.get("labels", "")) : labelsFromEnvironment(env);
        String interception = f.get("interception", env.getOrDefault("ISTIO_META_INTERCEPTION_MODE", "REDIRECT"))
                .toUpperCase(Locale.ROOT);
        if (!interception.equals("REDIRECT") && !interception.equals("NONE")) {
            throw new Flags.UsageException("--interception takes REDIRECT or NONE, got \""
                    + LogSafe.value(interception) + "\"");
        }
        String serviceAccount = f.get("service-account", env.getOrDefault("SERVICE_ACCOUNT", "default"));
        int admin = XdsAddress.port(f.get("admin-port", "15000"), "--admin-port");
        int status = XdsAddress.port(f.get("status-port", String.valueOf(StatusServer.DEFAULT_PORT)),
                "--status-port");
        Optional<Path> binary = EnvoyLocator.find(f.get("envoy-binary", null), env.get("MESHLOG_ENVOY"), checkout);
        if (binary.isEmpty()) {
            throw new Flags.UsageException("--envoy found no Envoy binary: " + EnvoyLocator.HOW);
        }
        Path absoluteSocket = socket.toAbsolutePath();
        Path workDir = f.has("envoy-dir") ? Path.of(f.get("envoy-dir", "")) : absoluteSocket.getParent();
        EnvoyBootstrap bootstrap = new EnvoyBootstrap("127.0.0.1", 1, clusterId, nodeId, labels, serviceAccount,
                interception, admin, false, absoluteSocket.toString());
        return new AgentEnvoyOptions(bootstrap, binary.get(), workDir, f.get("status-bind", "0.0.0.0"), status);
    }

    /** {@code sidecar~INSTANCE_IP~POD_NAME.POD_NAMESPACE~POD_NAMESPACE.svc.cluster.local}, as pilot-agent makes it. */
    static String nodeIdFromEnvironment(Map<String, String> env) {
        String pod = env.get("POD_NAME");
        String namespace = env.get("POD_NAMESPACE");
        String ip = env.get("INSTANCE_IP");
        if (blank(pod) || blank(namespace) || blank(ip)) {
            throw new Flags.UsageException("--envoy needs the proxy's node id: --node-id sidecar~IP~POD.NS~NS.svc"
                    + ".cluster.local, or POD_NAME, POD_NAMESPACE and INSTANCE_IP (the injector sets them)");
        }
        return "sidecar~" + ip + "~" + pod + "." + namespace + "~" + namespace + ".svc.cluster.local";
    }

    /** {@code ISTIO_METAJSON_LABELS}: a JSON object of strings, bounded in size. */
    static Map<String, String> labelsFromEnvironment(Map<String, String> env) {
        String json = env.get("ISTIO_METAJSON_LABELS");
        if (blank(json)) {
            return Map.of();
        }
        if (json.length() > MAX_LABELS_JSON) {
            throw new Flags.UsageException("ISTIO_METAJSON_LABELS is " + json.length() + " characters, more than "
                    + MAX_LABELS_JSON);
        }
        try {
            return new TreeMap<>(meshlog.configstore.event.EventCodec.json().readValue(json,
                    new TypeReference<Map<String, String>>() { }));
        } catch (java.io.IOException e) {
            throw new Flags.UsageException("ISTIO_METAJSON_LABELS is not a JSON object of strings: "
                    + LogSafe.value(e.getMessage(), 200));
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
