package meshlog.ops;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import meshlog.configstore.event.EventCodec;

/**
 * {@code meshlog try}: the example of {@code meshlog init} brought to life. Starts its two backends (v1 on
 * 127.0.0.1:7001, v2 on :7002) and a client of one cluster, and prints every second which version answered its
 * calls, so a commit that changes the weights can be watched taking effect. The client is proxyless gRPC, or with
 * {@code --envoy} a plain gRPC client calling through a real Envoy sidecar ({@link TryThroughEnvoy}).
 */
final class TryCommand {

    static final String TARGET = "echo.demo.svc.cluster.local:50051";
    /** grpc-java reads its xDS bootstrap from this property (once per process) when no file is named. */
    static final String BOOTSTRAP_PROPERTY = "io.grpc.xds.bootstrapConfig";

    private static final String FAILED = "calls fail: ";

    private TryCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        return run(args, System.getenv("MESHLOG_ENVOY"), EnvoyLocator.checkout(), out, err);
    }

    /**
     * @param envoyEnv what {@code MESHLOG_ENVOY} says (or null)
     * @param checkout where to look for {@code .venv-envoy} (or null); both given so a test can say "none"
     */
    static int run(List<String> args, String envoyEnv, Path checkout, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        Flags f = Flags.parse(args, Set.of("xds", "cluster", "calls", "rounds", "ports", "envoy-binary"),
                Set.of("envoy"));
        String xds = f.get("xds", "127.0.0.1:15010");
        String cluster = f.get("cluster", "east");
        Rounds rounds = new Rounds(f.intValue("calls", 100), f.intValue("rounds", Integer.MAX_VALUE));
        Map<String, Integer> backendPorts = backendPorts(f.get("ports", "7001,7002"));
        Path envoy = null;
        if (f.has("envoy") || f.has("envoy-binary")) {
            XdsAddress.parse(xds); // a usage error before anything starts
            envoy = EnvoyLocator.find(f.get("envoy-binary", null), envoyEnv, checkout).orElse(null);
            if (envoy == null) {
                err.println("meshlog try --envoy: no Envoy binary found; " + EnvoyLocator.HOW);
                return 2;
            }
        }
        EchoBackends backends;
        try {
            backends = EchoBackends.start(backendPorts);
        } catch (IOException e) {
            err.println("meshlog try: cannot start the example backends on ports "
                    + backendPorts.values().stream().map(String::valueOf).collect(Collectors.joining(",")) + ": "
                    + Main.describe(e));
            return 2;
        }
        try (backends) {
            String started = "backends v1 at 127.0.0.1:" + backends.port("v1") + ", v2 at 127.0.0.1:"
                    + backends.port("v2") + "; ";
            if (envoy != null) {
                return TryThroughEnvoy.run(envoy, XdsAddress.parse(xds), cluster, rounds, started, out, err);
            }
            out.println(started + "client of cluster " + cluster + " calling xds:///" + TARGET + " through " + xds
                    + " (Ctrl-C stops)");
            System.setProperty(BOOTSTRAP_PROPERTY, bootstrap(xds, cluster));
            return rounds.run(Grpc.newChannelBuilder("xds:///" + TARGET, InsecureChannelCredentials.create()).build(),
                    out, err);
        }
    }

    private static Map<String, Integer> backendPorts(String flag) {
        String[] ports = flag.split(",");
        if (ports.length != 2) {
            throw new Flags.UsageException("--ports takes the ports of v1 and v2, like 7001,7002");
        }
        Map<String, Integer> byVersion = new LinkedHashMap<>();
        byVersion.put("v1", Integer.parseInt(ports[0].strip()));
        byVersion.put("v2", Integer.parseInt(ports[1].strip()));
        return byVersion;
    }

    /** {@code rounds} rounds of {@code calls} calls, one a second, each printed as the split it saw. */
    record Rounds(int calls, int rounds) {

        /** Runs them on {@code channel} (then shut down); 1 when every round failed, else 0. */
        int run(ManagedChannel channel, PrintStream out, PrintStream err) throws InterruptedException {
            int failedRounds = 0;
            try {
                for (int round = 0; round < rounds; round++) {
                    long t0 = System.nanoTime();
                    String line = describe(channel, calls);
                    out.println(line);
                    failedRounds += line.startsWith(FAILED) ? 1 : 0;
                    long left = 1000 - (System.nanoTime() - t0) / 1_000_000;
                    if (left > 0) {
                        Thread.sleep(left);
                    }
                }
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            if (failedRounds == rounds) {
                err.println("meshlog try: every call failed in all " + rounds + " rounds");
                return 1;
            }
            return 0;
        }
    }

    /** A bootstrap as Istio's agent writes one for a proxyless client, naming one distributor. */
    static String bootstrap(String xds, String cluster) throws IOException {
        return EventCodec.json().writeValueAsString(Map.of(
                "xds_servers", List.of(Map.of("server_uri", xds, "channel_creds", List.of(Map.of("type", "insecure")),
                        "server_features", List.of("xds_v3"))),
                "node", Map.of("id", "sidecar~127.0.0.1~meshlog-try.demo~demo.svc.cluster.local",
                        "metadata", Map.of("CLUSTER_ID", cluster, "NAMESPACE", "demo",
                                "SERVICE_ACCOUNT", "meshlog-try"))));
    }

    private static String describe(ManagedChannel channel, int calls) {
        try {
            Map<String, Integer> spread = EchoBackends.spread(channel, calls);
            return spread.entrySet().stream()
                    .map(e -> e.getKey() + " " + Math.round(100.0 * e.getValue() / calls) + "%")
                    .collect(Collectors.joining("  ", calls + " calls: ", ""));
        } catch (RuntimeException e) {
            return FAILED + Main.describe(e) + " (is meshlog up running, serving " + TARGET + "?)";
        }
    }
}
