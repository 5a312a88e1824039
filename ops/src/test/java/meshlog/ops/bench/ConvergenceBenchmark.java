package meshlog.ops.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import meshlog.ops.BenchSupport;

/**
 * Load generator for the time from {@code git commit} to every proxy following it: one gRPC xDS client per
 * distributor (2 clusters × 2 replicas), a commit that flips all traffic between v1 and v2, and per commit the time
 * until the last client's calls land on the new version. Baseline in the same run: one transactional Kafka
 * write read back with read_committed on the same broker, the floor any commit must cross.
 *
 * <p>Run with {@code bench/convergence.sh [poll] [commits]}.
 */
public final class ConvergenceBenchmark {

    private ConvergenceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Duration poll = Duration.parse("PT" + (args.length > 0 ? args[0] : "1s").toUpperCase(Locale.ROOT));
        int commits = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path tmp = Files.createTempDirectory("meshlog-bench");
        try (BenchSupport.Mesh mesh = BenchSupport.start(tmp, poll)) {
            mesh.awaitAll("v1", null, Duration.ofSeconds(60));
            List<Long> converge = new ArrayList<>();
            List<Long> pipeline = new ArrayList<>();
            for (int i = 0; i < commits; i++) {
                String target = i % 2 == 0 ? "v2" : "v1";
                long t0 = System.nanoTime();
                String sha = mesh.commitAllTo(target);
                long recorded = mesh.awaitAll(target, sha, Duration.ofSeconds(30));
                long done = System.nanoTime();
                converge.add((done - t0) / 1_000);
                if (recorded > 0) {
                    pipeline.add((done - recorded) / 1_000);
                }
            }
            List<Long> kafka = mesh.kafkaRoundTrips(50);
            print("git commit -> every proxy (4 clients), poll " + poll.toMillis() + " ms", converge);
            print("commit recorded in the log -> every proxy", pipeline);
            print("baseline: Kafka transactional write -> read_committed read", kafka);
            System.out.printf(Locale.ROOT, "ratio of medians, pipeline / baseline: %.1f%n",
                    median(pipeline) / (double) median(kafka));
        } finally {
            BenchSupport.deleteTree(tmp);
        }
    }

    static long median(List<Long> micros) {
        List<Long> s = new ArrayList<>(micros);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    static void print(String what, List<Long> micros) {
        List<Long> s = new ArrayList<>(micros);
        Collections.sort(s);
        System.out.printf(Locale.ROOT, "%-60s n=%d median=%.1f ms p90=%.1f ms min=%.1f ms max=%.1f ms%n", what,
                s.size(), median(s) / 1000.0, s.get((int) Math.min(s.size() - 1, Math.round(s.size() * 0.9)))
                        / 1000.0, s.get(0) / 1000.0, s.get(s.size() - 1) / 1000.0);
    }
}
