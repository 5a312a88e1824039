package meshlog.ops.bench;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import meshlog.configstore.event.EventCodec;
import meshlog.configstore.kafka.KafkaEventLog;
import meshlog.configstore.kafka.TopicReader;
import meshlog.configstore.kafka.Topics;
import meshlog.configstore.state.ConfigState;
import meshlog.kafkaembedded.EmbeddedKafkaBroker;
import meshlog.ops.BenchSupport;

/**
 * Replay of a long history against the raw {@code read_committed} consume of the same records, and {@code meshlog
 * state --at} on that log, on a real embedded broker. Writes {@code commits} commits of {@link ReplayHistory} over
 * {@code services} services (3 objects each) as git-sync and the pin writer write them, then measures, {@code runs}
 * times each: the baseline (every record of {@code meshlog.config-events} read by a {@code read_committed} consumer,
 * nothing decoded), the full replay (the same records read, decoded and folded to the final state, as
 * {@code KafkaEventLog.forEach} and {@code ConfigState.Folder} do), and {@code meshlog state --at} a commit near the
 * start, the middle and the end: in this JVM through {@code Main} (the command path without the JVM's start), and as
 * {@code bin/meshlog state} in a fresh JVM when the launcher is built.
 *
 * <p>usage: {@code ReplayBenchmark [commits] [services] [runs] [launcher]}
 */
public final class ReplayBenchmark {

    private static final String REPO = "default"; // MeshlogNode.REPO_ID: what `meshlog state` reads

    private ReplayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int commits = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int services = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path launcher = args.length > 3 ? Path.of(args[3]) : null;
        Path dir = Files.createTempDirectory("replay-bench");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0)) {
            String bootstrap = broker.bootstrapServers();
            Topics.ensure(bootstrap);
            ReplayHistory history = new ReplayHistory(REPO, services, 42, 1, 97);
            Map<String, String> points = new LinkedHashMap<>();
            long t0 = System.nanoTime();
            try (KafkaEventLog log = new KafkaEventLog(bootstrap, REPO);
                 KafkaEventLog pins = KafkaEventLog.pinWriter(bootstrap, REPO)) {
                ReplayHistory.write(log, pins, () -> steps(history, commits, points), 200);
            }
            long[] raw = rawConsume(bootstrap);
            System.out.printf("history: %d commits over %d services written in %.1f s: %d records, %.1f MB"
                            + " (pinned at the end: %s)%n", history.commits(), services,
                    (System.nanoTime() - t0) / 1e9, raw[1], raw[2] / 1e6, history.pinned() != null);

            List<Long> rawMs = new ArrayList<>();
            List<Long> replayMs = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                rawMs.add(raw[0]);
                long r0 = System.nanoTime();
                ConfigState state = replay(bootstrap);
                replayMs.add(ms(r0));
                if (!state.documents().equals(history.appliedDocuments())) {
                    throw new IllegalStateException("the replay does not end at the generated history's state");
                }
                raw = rawConsume(bootstrap);
            }
            long rawMedian = median(rawMs);
            long replayMedian = median(replayMs);
            System.out.printf("baseline, raw read_committed consume of %d records: median %d ms of %s (%.0f"
                    + " records/s)%n", raw[1], rawMedian, rawMs, raw[1] * 1000.0 / rawMedian);
            System.out.printf("replay, read + decode + fold to the final state: median %d ms of %s (%.0f"
                    + " records/s)%n", replayMedian, replayMs, raw[1] * 1000.0 / replayMedian);
            System.out.printf("replay rate / raw rate: %.0f %%%n", 100.0 * rawMedian / replayMedian);

            Path checkpoints = dir.resolve("checkpoints");
            List<String> cp = List.of("--checkpoint-dir", checkpoints.toString());
            long c0 = System.nanoTime();
            String first = stateJson(bootstrap, points.get("start"), cp);
            System.out.printf("state --at start, first call with checkpoints (folds the whole log, writes %d"
                    + " checkpoint files): %d ms%n", countFiles(checkpoints), ms(c0));
            for (Map.Entry<String, String> p : points.entrySet()) {
                String full = stateJson(bootstrap, p.getValue(), List.of("--no-checkpoints"));
                if (!full.equals(stateJson(bootstrap, p.getValue(), cp))) {
                    throw new IllegalStateException("state --at " + p.getKey() + " differs with checkpoints");
                }
                for (List<String> mode : List.of(List.of("--no-checkpoints"), cp)) {
                    String name = mode.equals(cp) ? "with checkpoints" : "--no-checkpoints";
                    List<Long> inJvm = new ArrayList<>();
                    for (int i = 0; i < runs; i++) {
                        long s0 = System.nanoTime();
                        stateJson(bootstrap, p.getValue(), mode);
                        inJvm.add(ms(s0));
                    }
                    System.out.printf("state --at %s (%s), %s, in this JVM: median %d ms of %s (%d bytes of JSON)%n",
                            p.getKey(), p.getValue().substring(0, 8), name, median(inJvm), inJvm, full.length());
                    if (launcher != null && Files.isExecutable(launcher)) {
                        List<Long> cli = new ArrayList<>();
                        for (int i = 0; i < runs; i++) {
                            cli.add(launch(launcher, bootstrap, p.getValue(), mode));
                        }
                        System.out.printf("state --at %s, %s, bin/meshlog in a fresh JVM: median %d ms of %s%n",
                                p.getKey(), name, median(cli), cli);
                    }
                }
            }
            if (first.isEmpty()) {
                throw new IllegalStateException("no state");
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Collections.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** {@code meshlog state --at at -o json} in this JVM (through {@code Main}): its output. */
    private static String stateJson(String bootstrap, String at, List<String> extra) {
        List<String> args = new ArrayList<>(List.of("state", "--at", at, "--kafka", bootstrap, "-o", "json"));
        args.addAll(extra);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = BenchSupport.cli(args, new PrintStream(out), new PrintStream(OutputStream.nullOutputStream()));
        if (rc != 0) {
            throw new IllegalStateException("meshlog " + args + " exited " + rc);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** {@code bin/meshlog state --at at} in a fresh JVM: its wall time in ms. */
    private static long launch(Path launcher, String bootstrap, String at, List<String> extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "state", "--at", at, "--kafka", bootstrap,
                "-o", "json"));
        cmd.addAll(extra);
        long c0 = System.nanoTime();
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!proc.waitFor(120, TimeUnit.SECONDS) || proc.exitValue() != 0) {
            proc.destroyForcibly();
            throw new IllegalStateException("bin/meshlog state failed: " + cmd);
        }
        return ms(c0);
    }

    private static long countFiles(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).count();
        }
    }

    /** The history's steps, made as they are written; remembers the commits near the start, middle and end. */
    private static Iterator<ReplayHistory.Step> steps(ReplayHistory h, int commits, Map<String, String> points) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return h.commits() < commits;
            }

            @Override
            public ReplayHistory.Step next() {
                ReplayHistory.Step s = h.next();
                if (s.info() != null) {
                    int n = h.commits();
                    if (n == 100) {
                        points.put("start", s.info().sha());
                    } else if (n == commits / 2) {
                        points.put("middle", s.info().sha());
                    } else if (n == commits) {
                        points.put("end", s.info().sha());
                    }
                }
                return s;
            }
        };
    }

    /** Every record read, nothing decoded: {ms, records, bytes}. */
    static long[] rawConsume(String bootstrap) {
        long[] counted = new long[2];
        long t0 = System.nanoTime();
        TopicReader.readToEnd(bootstrap, Topics.CONFIG_EVENTS, "bench-raw", Duration.ofMinutes(5), r -> {
            counted[0]++;
            counted[1] += r.value().length;
        });
        return new long[] {ms(t0), counted[0], counted[1]};
    }

    /**
     * The whole log read, decoded and folded as it is read ({@code KafkaEventLog.forEach}, as {@code state --at}'s
     * checkpoints fold it), to the final state, parsed.
     */
    static ConfigState replay(String bootstrap) {
        ConfigState.Folder f = new ConfigState.Folder(ConfigState.EMPTY);
        KafkaEventLog.forEach(bootstrap, REPO, e -> f.apply(e.event()));
        return f.state();
    }

    private static long ms(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    static {
        EventCodec.json(); // load the codec before anything is timed
    }
}
