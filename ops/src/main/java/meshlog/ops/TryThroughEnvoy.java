package meshlog.ops;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code meshlog try --envoy}: the example's calls through a real Envoy sidecar instead of proxyless gRPC. Envoy
 * starts from the bootstrap {@code meshlog bootstrap} prints (interception NONE, so its outbound listener binds
 * 127.0.0.1:50051 itself; delta ADS), and a plain gRPC client calls that listener with the service's name as
 * authority: Envoy routes it (the example's port is {@code protocol: GRPC}, so HTTP/2 both ways) and picks v1 or
 * v2 per call by the VirtualService's weights.
 */
final class TryThroughEnvoy {

    static final String NODE_ID = "sidecar~127.0.0.1~meshlog-try-envoy.demo~demo.svc.cluster.local";
    private static final Duration START = Duration.ofSeconds(20);
    /** Envoy's first CDS and LDS fetches each wait up to 15 s (initial_fetch_timeout) before giving up. */
    private static final Duration LISTENER = Duration.ofSeconds(40);

    private TryThroughEnvoy() {
    }

    /** Runs Envoy and the rounds; stops Envoy on every way out, a shutdown hook covering Ctrl-C. */
    static int run(Path binary, XdsAddress xds, String cluster, TryCommand.Rounds rounds, String started,
                   PrintStream out, PrintStream err) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("meshlog-try-envoy-");
        LocalEnvoy envoy;
        try {
            envoy = LocalEnvoy.start(binary, bootstrap(xds, cluster), dir, START);
        } catch (IOException e) {
            err.println("meshlog try: cannot run Envoy " + binary + ": " + Main.describe(e));
            delete(dir);
            return 2;
        }
        Thread hook = new Thread(() -> {
            envoy.close();
            delete(dir);
        }, "meshlog-try-envoy-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return callThrough(envoy, xds, cluster, rounds, started, out, err);
        } finally {
            envoy.close();
            delete(dir);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is stopping: the hook runs anyway, and finds Envoy stopped
            }
        }
    }

    /**
     * The bootstrap of {@code meshlog bootstrap --xds X --cluster C --interception NONE --admin-port 0 --node-id
     * NODE_ID --labels app=meshlog-try --service-account meshlog-try}: the example's client workload, as the
     * proxyless {@code try} names it, with an admin port the kernel picks.
     */
    static String bootstrap(XdsAddress xds, String cluster) {
        return new EnvoyBootstrap(xds.host(), xds.port(), cluster, NODE_ID, Map.of("app", "meshlog-try"),
                "meshlog-try", "NONE", 0, false).text();
    }

    private static int callThrough(LocalEnvoy envoy, XdsAddress xds, String cluster, TryCommand.Rounds rounds,
                                   String started, PrintStream out, PrintStream err) throws InterruptedException {
        int port = Integer.parseInt(TryCommand.TARGET.substring(TryCommand.TARGET.lastIndexOf(':') + 1));
        String listener = "127.0.0.1:" + port;
        out.println(started + "Envoy sidecar of cluster " + cluster + " (pid " + envoy.pid() + ", config from "
                + xds.host() + ":" + xds.port() + ") calling " + TryCommand.TARGET + " through " + listener
                + " (Ctrl-C stops)");
        out.println("Envoy admin " + envoy.admin() + "/ (config " + envoy.admin() + "/config_dump, log "
                + envoy.log() + ")");
        if (!envoy.awaitListener(listener, LISTENER)) {
            String why = envoy.rejectedUpdates() > 0 ? "rejected the config for it (is the port taken?)"
                    : "got none after " + LISTENER.toSeconds() + " s (is meshlog up running, serving cluster "
                    + cluster + " at " + xds.host() + ":" + xds.port() + "?)";
            err.println("meshlog try: Envoy has no listener on " + listener + ": it " + why + "; Envoy's log ends:\n"
                    + LocalEnvoy.tail(envoy.log()));
            return 2;
        }
        int code = rounds.run(Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
                .overrideAuthority(TryCommand.TARGET).build(), out, err);
        out.println("Envoy rejected " + envoy.rejectedUpdates() + " xDS updates (sum of its update_rejected stats)");
        return code;
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
