package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import meshlog.configstore.snapshot.SnapshotHistory;
import meshlog.configstore.snapshot.SnapshotPublished;
import meshlog.configstore.snapshot.SnapshotPublished.Scope;
import meshlog.configstore.status.SnapshotAcks;
import org.junit.jupiter.api.Test;

/**
 * The fold of publications and the distributors' ACK records into per-commit, per-cluster figures; the JSON of
 * {@code audit -o json}'s {@code clusters} is checked against a golden file, so a renamed or reordered field shows
 * (docs/operations.md documents each).
 */
class AckStatsTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden/audit-clusters.json");
    static final Instant T = Instant.parse("2026-12-07T09:00:00Z");
    static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

    static SnapshotHistory.Logged pub(long offset, long atMs, Map<String, Scope> scopes, List<String> changed) {
        return new SnapshotHistory.Logged(offset, T.plusMillis(atMs),
                new SnapshotPublished("east", T.plusMillis(atMs), scopes, changed, List.of()));
    }

    static SnapshotAcks acks(String scope, String version, String commit, String distributor, long sinceMs,
                             int acked, Map<Long, Integer> pushed, Long lastPushedMs, List<SnapshotAcks.NackError> nacks) {
        Instant since = T.plusMillis(sinceMs);
        int nacked = nacks.stream().mapToInt(SnapshotAcks.NackError::proxies).sum();
        return new SnapshotAcks("east", scope, version, commit, distributor, since, acked, nacked,
                acked == 0 ? null : since, acked == 0 ? null : since.plusSeconds(2), pushed,
                lastPushedMs == null ? null : since.plusMillis(lastPushedMs), nacks, 0);
    }

    static final AckStats STATS = new AckStats(List.of(
            pub(0, 100, Map.of("grpc~demo", new Scope("vA", "c1", "m1"), "sidecar~x", new Scope("vS", "c1", "m2")),
                    List.of("grpc~demo", "sidecar~x")),
            // c2 changes only the sidecar's content; grpc~demo's label moves to c2 with the same version
            pub(1, 5000, Map.of("grpc~demo", new Scope("vA", "c2", "m1"), "sidecar~x", new Scope("vS2", "c2", "m3")),
                    List.of("grpc~demo", "sidecar~x")),
            // a second version of c2 (an endpoint change, or here one the proxy rejects)
            pub(2, 6000, Map.of("grpc~demo", new Scope("vA", "c2", "m1"), "sidecar~x", new Scope("vS3", "c2", "m4")),
                    List.of("sidecar~x"))),
            List.of(
                    acks("grpc~demo", "vA", "c1", "d1", 150, 2, Map.of(), null, List.of()),
                    acks("sidecar~x", "vS2", "c2", "d1", 5010, 2, Map.of(30L, 1, 40L, 1), 45L, List.of()),
                    acks("sidecar~x", "vS2", "c2", "d2", 5020, 1, Map.of(1200L, 1), 1250L, List.of()),
                    acks("sidecar~x", "vS3", "c2", "d1", 6010, 0, Map.of(), null, List.of(
                            new SnapshotAcks.NackError(CDS, "ring hash: minimum_ring_size (4096) > maximum", 1, "p1"))),
                    acks("sidecar~x", "vS3", "c2", "d2", 6020, 0, Map.of(), null, List.of(
                            new SnapshotAcks.NackError(CDS, "ring hash: minimum_ring_size (4096) > maximum", 2, "p7"))),
                    // a record of a commit that produced nothing here is ignored
                    acks("sidecar~x", "vS2", "c9", "d1", 5010, 5, Map.of(), null, List.of())));

    @Test
    void aCommitsVersionsAreSummedOverDistributorsAndItsLatencyComesFromItsFirstVersionPerScope() {
        List<AckStats.ClusterAcks> c2 = STATS.of("c2", T.plusMillis(4900), null);

        assertThat(c2).singleElement().satisfies(c -> {
            assertThat(c.versions()).containsExactly(
                    new AckStats.ScopeVersion("sidecar~x", "vS2", T.plusMillis(5000), 3, 0),
                    new AckStats.ScopeVersion("sidecar~x", "vS3", T.plusMillis(6000), 0, 3));
            assertThat(c.acks()).isEqualTo(3);
            assertThat(c.nacks()).isEqualTo(3);
            assertThat(c.published()).isEqualTo(T.plusMillis(5000));
            // samples 110+30, 110+40, 120+1200; the last ACK exactly 120+1250
            assertThat(c.proxiesMeasured()).isEqualTo(3);
            assertThat(c.commitToAckMs()).isEqualTo(new AckStats.Latency(150, 1320, 1370));
            assertThat(c.nackErrors()).containsExactly(new AckStats.Nack("sidecar~x", "vS3", CDS,
                    "ring hash: minimum_ring_size (4096) > maximum", 3, "p1"));
        });
    }

    @Test
    void proxiesThatFoundAVersionOnConnectAreCountedButNotTimed() {
        assertThat(STATS.of("c1", T, null)).singleElement().satisfies(c -> {
            assertThat(c.versions()).extracting(AckStats.ScopeVersion::proxiesAcked).containsExactly(2, 0);
            assertThat(c.proxiesMeasured()).isZero();
            assertThat(c.commitToAckMs()).isNull();
        });
        assertThat(STATS.of("c1", T, "west")).isEmpty();
        assertThat(STATS.of("c9", T, null)).isEmpty();
    }

    @Test
    void nearestRankPercentiles() {
        assertThat(AckStats.latency(List.of(5L), null)).isEqualTo(new AckStats.Latency(5, 5, 5));
        List<Long> hundred = java.util.stream.LongStream.rangeClosed(1, 100).boxed().toList();
        assertThat(AckStats.latency(hundred, 100L)).isEqualTo(new AckStats.Latency(50, 99, 100));
        assertThat(AckStats.latency(List.of(), null)).isNull();
    }

    @Test
    void theJsonOfAuditClustersIsTheDocumentedOne() throws Exception {
        String json = AuditCommand.JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(new java.util.TreeMap<>(Map.of("c1", STATS.of("c1", T, null), "c2",
                        STATS.of("c2", T.plusMillis(4900), null))))
                + "\n";
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(GOLDEN, json);
        }
        assertThat(json).isEqualTo(Files.readString(GOLDEN));
    }
}
