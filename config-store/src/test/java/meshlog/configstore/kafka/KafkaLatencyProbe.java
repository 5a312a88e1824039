package meshlog.configstore.kafka;

import meshlog.kafkaembedded.EmbeddedKafkaBroker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.configstore.snapshot.SnapshotPublisher;
import meshlog.configstore.snapshot.SnapshotSubscriber;
import org.junit.jupiter.api.Test;

/**
 * Measurements, not assertions; not run by the normal build (the name matches no surefire include). Run alone, so
 * the broker start is a cold one: {@code mvn -pl config-store test -Dtest=KafkaLatencyProbe}; results are printed to
 * {@code target/surefire-reports/meshlog.configstore.kafka.KafkaLatencyProbe-output.txt}.
 */
class KafkaLatencyProbe {

    private static final int WARMUP = 10;
    private static final int RUNS = 50;

    @Test
    void measure() throws Exception {
        Path dir = Files.createTempDirectory("meshlog-kafka-probe-");
        long t0 = System.nanoTime();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0)) {
            double startMs = ms(System.nanoTime() - t0);
            Topics.ensure(broker.bootstrapServers());
            String bootstrap = broker.bootstrapServers();
            print("broker cold start (fresh JVM)", List.of(startMs));
            print("appendCommit, 10 events", appendCommit(bootstrap));
            print("publish -> subscriber delivery", publishToSubscriber(bootstrap));
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static List<Double> appendCommit(String bootstrap) {
        List<Double> times = new ArrayList<>();
        try (KafkaEventLog log = new KafkaEventLog(bootstrap, "probe")) {
            for (int i = 0; i < WARMUP + RUNS; i++) {
                var events = KafkaEventLogTest.commit("probe", "c" + i, 10);
                long t = System.nanoTime();
                log.appendCommit(events);
                if (i >= WARMUP) {
                    times.add(ms(System.nanoTime() - t));
                }
            }
        }
        return times;
    }

    private static List<Double> publishToSubscriber(String bootstrap) throws InterruptedException {
        BlockingQueue<Long> delivered = new ArrayBlockingQueue<>(4);
        List<Double> times = new ArrayList<>();
        try (SnapshotPublisher pub = new SnapshotPublisher(bootstrap, "probe-reconciler");
             SnapshotSubscriber sub = SnapshotSubscriber.start(bootstrap, Set.of("probe"),
                     s -> delivered.add(System.nanoTime()))) {
            for (int i = 0; i < WARMUP + RUNS; i++) {
                ScopeSnapshot s = snapshot(i);
                long t = System.nanoTime();
                pub.publish(s.cluster(), List.of(s));
                Long at = delivered.poll(10, TimeUnit.SECONDS);
                assertThat(at).as("delivery of snapshot %d", i).isNotNull();
                if (i >= WARMUP) {
                    times.add(ms(at - t));
                }
            }
            assertThat(sub.failure()).isNull();
        }
        return times;
    }

    /** 20 clusters and 20 listeners of ~1 KB each; one cluster changes per snapshot. */
    private static ScopeSnapshot snapshot(int i) {
        Map<String, Map<String, byte[]>> r = new TreeMap<>();
        for (int k = 0; k < 20; k++) {
            String body = ("outbound|8080|v" + k + "|svc-" + k + (k == i % 20 ? "@" + i : "")).repeat(20);
            r.computeIfAbsent("type.googleapis.com/envoy.config.cluster.v3.Cluster", t -> new TreeMap<>())
                    .put("outbound|8080||svc-" + k, body.getBytes(StandardCharsets.UTF_8));
            r.computeIfAbsent("type.googleapis.com/envoy.config.listener.v3.Listener", t -> new TreeMap<>())
                    .put("svc-" + k + ":8080", ("listener-" + k).repeat(60).getBytes(StandardCharsets.UTF_8));
        }
        return new ScopeSnapshot("probe", "grpc", ScopeSnapshot.versionOf(r), "c" + i, r);
    }

    private static void print(String what, List<Double> ms) {
        List<Double> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        System.out.printf("PROBE %-32s n=%d median=%.1f ms p90=%.1f ms min=%.1f ms max=%.1f ms%n", what,
                sorted.size(), sorted.get(sorted.size() / 2), sorted.get((int) (sorted.size() * 0.9)),
                sorted.get(0), sorted.get(sorted.size() - 1));
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
