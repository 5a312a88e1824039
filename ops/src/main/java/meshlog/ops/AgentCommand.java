package meshlog.ops;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import meshlog.agent.Agent;
import meshlog.agent.AgentOptions;
import meshlog.agent.KeyAlgorithm;

/**
 * {@code meshlog agent --xds HOST:PORT --root-cert FILE (--token-file F | --join-token-file F) [--ca HOST:PORT]
 * [--cluster C] [--socket PATH] [--grpc-output DIR] [--key-type ec|rsa] [--cert-ttl D] [--node-id ID]
 * [--envoy [--envoy-binary PATH] ...]}: the workload's agent ({@link Agent}), until stopped; with {@code --envoy},
 * also Envoy, supervised, and the readiness port ({@link AgentEnvoy}).
 */
final class AgentCommand {

    static final Set<String> FLAGS = Set.of("xds", "ca", "root-cert", "token-file", "join-token-file", "cluster",
            "socket", "grpc-output", "key-type", "cert-ttl", "node-id");
    /** What only {@code --envoy} reads ({@link AgentEnvoyOptions}). */
    static final Set<String> ENVOY_FLAGS = Set.of("envoy-binary", "envoy-dir", "labels", "service-account",
            "interception", "admin-port", "status-port", "status-bind");
    /** Where {@code meshlog bootstrap --agent-socket} and the agent meet when neither is told. */
    static final String DEFAULT_SOCKET = "meshlog-agent.sock";

    private AgentCommand() {
    }

    static AgentOptions parse(List<String> args) {
        return parse(flags(args));
    }

    private static Flags flags(List<String> args) {
        Set<String> known = new java.util.HashSet<>(FLAGS);
        known.addAll(ENVOY_FLAGS);
        Flags f = Flags.parse(args, known, Set.of("envoy"));
        if (!f.positional().isEmpty()) {
            throw new Flags.UsageException("unexpected argument " + f.positional().get(0));
        }
        if (!f.bool("envoy")) {
            ENVOY_FLAGS.stream().filter(f::has).sorted().findFirst().ifPresent(name -> {
                throw new Flags.UsageException("--" + name + " is for Envoy, which the agent starts only with --envoy");
            });
        }
        return f;
    }

    private static AgentOptions parse(Flags f) {
        XdsAddress xds = XdsAddress.parse(BootstrapCommand.required(f, "xds"));
        XdsAddress ca = XdsAddress.parse(f.get("ca", "127.0.0.1:" + CaOptions.DEFAULT_PORT));
        Path token = f.existingFile("token-file");
        Path join = f.existingFile("join-token-file");
        if ((token == null) == (join == null)) {
            throw new Flags.UsageException("the agent needs one credential for its first certificate: --token-file F"
                    + " (a Kubernetes service-account token, audience istio-ca) or --join-token-file F (from meshlog"
                    + " token create)");
        }
        Path root = f.existingFile("root-cert");
        if (root == null) {
            throw new Flags.UsageException("--root-cert FILE is required: the mesh root (DATA/ca/root-cert.pem on the"
                    + " CA's host), to check the CA and the distributors");
        }
        Duration ttl = f.duration("cert-ttl", AgentOptions.DEFAULT_TTL);
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(Duration.ofDays(90)) > 0) {
            throw new Flags.UsageException("--cert-ttl must be positive and at most 90 days, got " + ttl);
        }
        KeyAlgorithm key;
        try {
            key = KeyAlgorithm.parse(f.get("key-type", "ec"));
        } catch (IllegalArgumentException e) {
            throw new Flags.UsageException(e.getMessage());
        }
        return new AgentOptions(ca.host(), ca.port(), xds.host(), xds.port(), root, token, join,
                f.get("cluster", null), Path.of(f.get("socket", DEFAULT_SOCKET)),
                f.has("grpc-output") ? Path.of(f.get("grpc-output", "")) : null, key, ttl, f.get("node-id", null));
    }

    static int run(List<String> args, PrintStream err) throws IOException {
        return run(args, System.getenv(), err);
    }

    static int run(List<String> args, Map<String, String> env, PrintStream err) throws IOException {
        Flags f = flags(args);
        AgentOptions options = parse(f);
        // Every usage error before the CA is asked for anything.
        AgentEnvoyOptions envoyOptions = f.bool("envoy") ? AgentEnvoyOptions.parse(f, env, options.cluster(),
                options.socket(), EnvoyLocator.checkout()) : null;
        Agent agent;
        try {
            agent = Agent.start(options, Clock.systemUTC());
        } catch (io.grpc.StatusRuntimeException e) {
            err.println("meshlog agent: the CA at " + options.caHost() + ":" + options.caPort() + " refused: "
                    + e.getStatus().getCode() + " " + e.getStatus().getDescription());
            return 1;
        }
        AgentEnvoy envoy;
        try {
            envoy = envoyOptions == null ? null : AgentEnvoy.start(envoyOptions, agent, err);
        } catch (IOException | RuntimeException e) {
            agent.close();
            throw e;
        }
        Runnable stopAll = () -> {
            if (envoy != null) {
                envoy.close(); // Envoy first: it still needs the agent's socket while it drains
            }
            agent.close();
        };
        ShutdownDeadline stop = ShutdownDeadline.install(stopAll, UpOptions.STOP_TIMEOUT, err);
        try {
            while (!stop.await(Duration.ofMillis(500))) {
                if (envoy != null && envoy.gaveUp().isDone()) {
                    err.println("meshlog agent: Envoy kept exiting (last exit code " + envoy.gaveUp().join()
                            + "); giving up, as its restarts are bounded");
                    stopAll.run();
                    return 1;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
