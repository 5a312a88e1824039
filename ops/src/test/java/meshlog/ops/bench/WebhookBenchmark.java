package meshlog.ops.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import meshlog.ops.BenchSupport;

/**
 * Load generator for the time from {@code git push} to a remote (a real {@code git daemon}) until the first proxy
 * routes by the pushed commit, three ways in one run: the default 1 s poll alone (the baseline), the 1 s poll with
 * a push webhook sent when the push returns (as a forge sends it), and the webhook alone (poll 1 h). Each push
 * follows a random pause of 0 to 1 s, so pushes land at random points of the poll's cycle as users' pushes do.
 * Proxies: one gRPC xDS client per distributor (2 clusters × 2 replicas); the time runs to the first of them
 * answering from the new version, and to the last.
 *
 * <p>Run with {@code bench/webhook.sh [pushes]}.
 */
public final class WebhookBenchmark {

    private WebhookBenchmark() {
    }

    record Mode(String name, Duration poll, boolean webhook) {
    }

    public static void main(String[] args) throws Exception {
        int pushes = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        List<Mode> modes = List.of(new Mode("poll 1 s (default), no webhook: baseline", Duration.ofSeconds(1), false),
                new Mode("poll 1 s + push webhook", Duration.ofSeconds(1), true),
                new Mode("poll 1 h + push webhook (webhook alone)", Duration.ofHours(1), true));
        List<Long> baseline = null;
        List<String> lines = new ArrayList<>();
        for (Mode mode : modes) {
            Path tmp = Files.createTempDirectory("meshlog-bench-webhook");
            Random pause = new Random(42); // the same pauses in every mode
            List<Long> first = new ArrayList<>();
            List<Long> all = new ArrayList<>();
            List<Long> recorded = new ArrayList<>();
            String secret = "bench-webhook-secret";
            try (BenchSupport.Mesh mesh = BenchSupport.startRemote(tmp, mode.poll(), mode.webhook() ? secret : null)) {
                mesh.awaitAll("v1", null, Duration.ofSeconds(60));
                for (int i = 0; i < pushes; i++) {
                    String target = i % 2 == 0 ? "v2" : "v1";
                    String sha = mesh.commitAllTo(target);
                    Thread.sleep(pause.nextInt(1000));
                    mesh.push();
                    long t0 = System.nanoTime();
                    if (mode.webhook()) {
                        int status = mesh.githubPushWebhook(secret);
                        if (status != 202) {
                            throw new IllegalStateException("webhook answered " + status);
                        }
                    }
                    long[] one = mesh.awaitFirst(target, sha, Duration.ofSeconds(30));
                    mesh.awaitAll(target, null, Duration.ofSeconds(30));
                    long done = System.nanoTime();
                    first.add((one[0] - t0) / 1_000);
                    recorded.add((one[1] - t0) / 1_000);
                    all.add((done - t0) / 1_000);
                }
            } finally {
                BenchSupport.deleteTree(tmp);
            }
            if (baseline == null) {
                baseline = first;
            }
            lines.add(line(mode.name() + ": push -> first proxy", first, baseline));
            lines.add(line(mode.name() + ": push -> all 4 proxies", all, baseline));
            lines.add(line(mode.name() + ": push -> commit in the log", recorded, baseline));
        }
        lines.forEach(System.out::println);
    }

    static String line(String what, List<Long> micros, List<Long> baseline) {
        List<Long> s = new ArrayList<>(micros);
        s.sort(null);
        double p90 = s.get((int) Math.min(s.size() - 1, Math.round(s.size() * 0.9))) / 1000.0;
        return String.format(Locale.ROOT, "%-72s n=%d median=%.1f ms mean=%.1f ms p90=%.1f ms min=%.1f ms max=%.1f ms"
                + " median/baseline=%.3f", what, s.size(), ConvergenceBenchmark.median(s) / 1000.0,
                s.stream().mapToLong(Long::longValue).average().orElseThrow() / 1000.0, p90, s.get(0) / 1000.0,
                s.get(s.size() - 1) / 1000.0, ConvergenceBenchmark.median(s) / (double)
                        ConvergenceBenchmark.median(baseline));
    }
}
