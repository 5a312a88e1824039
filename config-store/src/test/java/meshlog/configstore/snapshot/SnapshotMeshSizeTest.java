package meshlog.configstore.snapshot;

import static meshlog.configstore.snapshot.Snapshots.CLUSTER_TYPE;
import static meshlog.configstore.snapshot.Snapshots.LISTENER_TYPE;
import static meshlog.configstore.snapshot.Snapshots.ROUTE_TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import meshlog.configstore.kafka.KafkaBrokerExtension;
import meshlog.configstore.kafka.TopicReader;
import meshlog.configstore.kafka.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A mesh of 10,000 services through a real broker: 40,000 resources of 150 to 400 bytes plus one 3 MiB route
 * configuration, in two scopes that share 95% of them. Prints what it measured.
 */
class SnapshotMeshSizeTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String ENDPOINT_TYPE = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    private static final int SERVICES = 10_000;
    private static final int DIFFERENT = 2_000; // 5% of the 40,000 differ between the scopes

    @Test
    void tenThousandServicesInTwoScopes() {
        Map<String, Map<String, byte[]>> shared = mesh();
        ScopeSnapshot sidecar = scope("sidecar~default~NONE~3f2a9c1e", shared, false);
        ScopeSnapshot grpc = scope("grpc", shared, true);
        int resources = sidecar.resourceCount();
        assertThat(resources).isEqualTo(4 * SERVICES + 1);
        Map<String, ScopeSnapshot> got = new ConcurrentHashMap<>();

        long publishMs;
        try (SnapshotSubscriber live = SnapshotSubscriber.start(KAFKA.bootstrap(), Set.of("mesh"),
                s -> got.put(s.scope(), s));
             SnapshotPublisher pub = new SnapshotPublisher(KAFKA.bootstrap(), "reconciler-mesh")) {
            await().atMost(WAIT).until(live::caughtUp);
            long t0 = System.nanoTime();
            assertThat(pub.publish("mesh", List.of(sidecar, grpc))).isTrue();
            publishMs = ms(t0);
            await().atMost(WAIT).until(() -> got.size() == 2);
        }
        assertSameBytes(got.get(sidecar.scope()), sidecar);
        assertSameBytes(got.get(grpc.scope()), grpc);

        List<ConsumerRecord<String, byte[]>> records = records();
        long bytes = 0;
        int maxValue = 0;
        int maxKey = 0;
        Map<String, Integer> keysPerChunk = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            int key = r.key().getBytes(StandardCharsets.UTF_8).length;
            maxKey = Math.max(maxKey, key);
            maxValue = Math.max(maxValue, r.value().length);
            bytes += key + r.value().length;
            keysPerChunk.merge(r.key(), 1, Integer::sum);
        }
        assertThat(maxValue).isLessThanOrEqualTo(Blobs.CHUNK);
        assertThat(maxKey).isLessThan(200);
        assertThat(keysPerChunk.values()).allMatch(n -> n == 1); // every blob chunk, shared or not, written once
        int bodyChunks = Blobs.chunkCount(SnapshotManifest.of(sidecar).encode().length)
                + Blobs.chunkCount(SnapshotManifest.of(grpc).encode().length);
        int bigChunks = Blobs.chunkCount(3 * 1024 * 1024);
        assertThat(records).hasSize((resources - 1) + DIFFERENT + bigChunks + bodyChunks + 2);

        long t1 = System.nanoTime();
        SnapshotAssembler assembler = new SnapshotAssembler();
        List<ScopeSnapshot> assembled = new ArrayList<>();
        records.forEach(r -> assembled.addAll(assembler.accept(r.key(), r.value())));
        long assembleMs = ms(t1);
        assertThat(assembled).hasSize(2);

        long t2 = System.nanoTime();
        Map<String, ScopeSnapshot> late = new ConcurrentHashMap<>();
        try (SnapshotSubscriber sub = SnapshotSubscriber.start(KAFKA.bootstrap(), Set.of("mesh"),
                s -> late.put(s.scope(), s))) {
            await().atMost(WAIT).until(() -> late.size() == 2);
        }
        long lateMs = ms(t2);

        long t3 = System.nanoTime();
        try (SnapshotPublisher restarted = new SnapshotPublisher(KAFKA.bootstrap(), "reconciler-mesh")) {
            assertThat(restarted.publish("mesh", List.of(sidecar, grpc))).isFalse();
        }
        long restartMs = ms(t3);
        assertThat(records()).hasSize(records.size());

        System.out.printf("mesh-size: %d resources x 2 scopes (95%% shared) + 3 MiB route: published %d records, "
                        + "%d bytes (largest value %d, largest key %d) in %d ms; assembler over the topic %d ms; "
                        + "late subscriber read+assembly %d ms; restarted publisher (reads topic, writes nothing) "
                        + "%d ms%n", resources, records.size(), bytes, maxValue, maxKey, publishMs, assembleMs,
                lateMs, restartMs);
    }

    /** Per service: a cluster, an endpoint assignment, a listener, a route of 150 to 400 bytes each; one 3 MiB route. */
    private static Map<String, Map<String, byte[]>> mesh() {
        Random random = new Random(10_000);
        Map<String, Map<String, byte[]>> r = new TreeMap<>();
        for (String type : List.of(CLUSTER_TYPE, ENDPOINT_TYPE, LISTENER_TYPE, ROUTE_TYPE)) {
            Map<String, byte[]> byName = new TreeMap<>();
            for (int i = 0; i < SERVICES; i++) {
                byte[] b = new byte[150 + random.nextInt(251)];
                random.nextBytes(b);
                byName.put("outbound|8080||svc-" + i + ".ns-" + (i % 100) + ".svc.cluster.local", b);
            }
            r.put(type, byName);
        }
        byte[] big = new byte[3 * 1024 * 1024];
        random.nextBytes(big);
        r.get(ROUTE_TYPE).put("8080", big);
        return r;
    }

    /** The shared resources; with {@code differ}, the first {@link #DIFFERENT} listeners have other bytes. */
    private static ScopeSnapshot scope(String scope, Map<String, Map<String, byte[]>> shared, boolean differ) {
        Map<String, Map<String, byte[]>> r = new TreeMap<>();
        shared.forEach((type, byName) -> r.put(type, new TreeMap<>(byName)));
        if (differ) {
            Map<String, byte[]> listeners = r.get(LISTENER_TYPE);
            int k = 0;
            for (Map.Entry<String, byte[]> e : listeners.entrySet()) {
                if (k++ == DIFFERENT) {
                    break;
                }
                byte[] other = e.getValue().clone();
                other[0] ^= 1;
                e.setValue(other);
            }
        }
        return new ScopeSnapshot("mesh", scope, ScopeSnapshot.versionOf(r), "c1", r);
    }

    private static void assertSameBytes(ScopeSnapshot got, ScopeSnapshot expected) {
        assertThat(got.version()).isEqualTo(expected.version());
        assertThat(got.resources().keySet()).isEqualTo(expected.resources().keySet());
        expected.resources().forEach((type, byName) -> {
            Map<String, byte[]> g = got.resources().get(type);
            assertThat(g.keySet()).isEqualTo(byName.keySet());
            byName.forEach((name, b) -> assertThat(g.get(name)).as("%s %s", type, name).isEqualTo(b));
        });
    }

    private static List<ConsumerRecord<String, byte[]>> records() {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        TopicReader.readToEnd(KAFKA.bootstrap(), Topics.SNAPSHOTS, "test-reader", WAIT, r -> {
            if (r.key().startsWith("mesh/")) {
                out.add(r);
            }
        });
        return out;
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
