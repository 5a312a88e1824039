package meshlog.ops;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code meshlog try}: the example of {@code meshlog init} brought to life. Starts its two backends (v1 on
 * 127.0.0.1:7001, v2 on :7002) and a proxyless gRPC client of one cluster, and prints every second which version
 * answered its calls, so a commit that changes the weights can be watched taking effect.
 */
final class TryCommand {

    static final String TARGET = "echo.demo.svc.cluster.local:50051";

    private TryCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        Flags f = Flags.parse(args, Set.of("xds", "cluster", "calls", "rounds"), Set.of());
        String xds = f.get("xds", "127.0.0.1:15010");
        String cluster = f.get("cluster", "east");
        int calls = f.intValue("calls", 100);
        int rounds = f.intValue("rounds", Integer.MAX_VALUE);
        try (EchoBackends backends = EchoBackends.start(new TreeMap<>(Map.of("v1", 7001, "v2", 7002)));
             ProxylessClient client = new ProxylessClient(xds, cluster, TARGET)) {
            out.println("backends v1 at 127.0.0.1:7001, v2 at 127.0.0.1:7002; client of cluster " + cluster
                    + " calling xds:///" + TARGET + " through " + xds + " (Ctrl-C stops)");
            for (int round = 0; round < rounds; round++) {
                long t0 = System.nanoTime();
                out.println(describe(client, calls));
                long left = 1000 - (System.nanoTime() - t0) / 1_000_000;
                if (left > 0) {
                    Thread.sleep(left);
                }
            }
        } catch (IOException e) {
            err.println("meshlog try: cannot start the example backends on ports 7001 and 7002: " + e.getMessage());
            return 2;
        }
        return 0;
    }

    private static String describe(ProxylessClient client, int calls) {
        try {
            Map<String, Integer> spread = client.spread(calls);
            return spread.entrySet().stream()
                    .map(e -> e.getKey() + " " + Math.round(100.0 * e.getValue() / calls) + "%")
                    .collect(Collectors.joining("  ", calls + " calls: ", ""));
        } catch (RuntimeException e) {
            return "calls fail: " + Main.describe(e) + " (is meshlog up running, serving " + TARGET + "?)";
        }
    }
}
