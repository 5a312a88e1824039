package meshlog.configstore.snapshot;

import static meshlog.configstore.snapshot.Snapshots.CLUSTER_TYPE;
import static meshlog.configstore.snapshot.Snapshots.LISTENER_TYPE;
import static meshlog.configstore.snapshot.Snapshots.bytes;
import static meshlog.configstore.snapshot.Snapshots.contents;
import static meshlog.configstore.snapshot.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SnapshotAssemblerTest {

    private final SnapshotAssembler assembler = new SnapshotAssembler();

    private final ClusterSnapshot v1 = snapshot("east", "c1",
            CLUSTER_TYPE, "outbound|8080|v1|reviews.default.svc.cluster.local", "cluster-v1",
            LISTENER_TYPE, "reviews.default.svc.cluster.local:8080", "listener");
    private final ClusterSnapshot v2 = snapshot("east", "c2",
            CLUSTER_TYPE, "outbound|8080|v1|reviews.default.svc.cluster.local", "cluster-v2");

    @Test
    void assemblesASnapshotWhenItsManifestArrives() {
        List<ClusterSnapshot> out = feed(SnapshotDiff.between(null, v1).records());

        assertThat(out).singleElement().satisfies(s -> {
            assertThat(s.version()).isEqualTo(v1.version());
            assertThat(s.commit()).isEqualTo("c1");
            assertThat(contents(s)).isEqualTo(contents(v1));
        });
    }

    @Test
    void appliesChangesAndTombstones() {
        feed(SnapshotDiff.between(null, v1).records());

        List<ClusterSnapshot> out = feed(SnapshotDiff.between(v1, v2).records());

        assertThat(out).singleElement().satisfies(s -> assertThat(contents(s)).isEqualTo(contents(v2)));
    }

    @Test
    void aManifestBeforeItsResourcesWaitsForTheLastOne() {
        List<SnapshotRecord> records = SnapshotDiff.between(null, v1).records();
        SnapshotRecord manifest = records.get(records.size() - 1);

        assertThat(accept(manifest)).isEmpty();
        assertThat(accept(records.get(1))).isEmpty();
        Optional<ClusterSnapshot> done = accept(records.get(0));

        assertThat(done).hasValueSatisfying(s -> assertThat(contents(s)).isEqualTo(contents(v1)));
    }

    @Test
    void aManifestWhoseHashesAreNeverMatchedIsNeverServed() {
        feed(SnapshotDiff.between(null, v1).records());
        List<SnapshotRecord> v2Records = SnapshotDiff.between(v1, v2).records();
        SnapshotRecord v2Manifest = v2Records.get(v2Records.size() - 1);
        assertThat(v2Manifest.key()).isEqualTo("east/_manifest");

        assertThat(accept(v2Manifest)).isEmpty(); // holds cluster-v1, the manifest wants cluster-v2
        assertThat(accept(resource(CLUSTER_TYPE, "outbound|8080|v1|reviews.default.svc.cluster.local", "other")))
                .isEmpty();
        assertThat(accept(resource(LISTENER_TYPE, "unrelated", "x"))).isEmpty();
    }

    @Test
    void aResourceChangedAgainBeforeTheManifestCompletesIsMissingAgain() {
        List<SnapshotRecord> records = SnapshotDiff.between(null, v1).records();
        accept(records.get(2)); // manifest first
        accept(records.get(0));
        accept(resource(CLUSTER_TYPE, "outbound|8080|v1|reviews.default.svc.cluster.local", "changed"));

        assertThat(accept(records.get(1))).isEmpty();
        assertThat(accept(records.get(0))).isPresent();
    }

    @Test
    void aNewerManifestReplacesAPendingOne() {
        List<SnapshotRecord> first = SnapshotDiff.between(null, v1).records();
        List<SnapshotRecord> second = SnapshotDiff.between(null, v2).records();
        accept(first.get(2));
        accept(second.get(1));

        Optional<ClusterSnapshot> done = accept(second.get(0));

        assertThat(done).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(v2.version()));
        assertThat(accept(first.get(1))).isEmpty(); // v1's manifest is no longer pending
    }

    @Test
    void clustersAreIndependentAndFiltered() {
        SnapshotAssembler westOnly = new SnapshotAssembler("west"::equals);
        ClusterSnapshot west = snapshot("west", "c1", CLUSTER_TYPE, "a", "wa");
        List<ClusterSnapshot> out = new ArrayList<>();
        for (SnapshotRecord r : concat(SnapshotDiff.between(null, v1).records(),
                SnapshotDiff.between(null, west).records())) {
            westOnly.accept(r.key(), r.value()).ifPresent(out::add);
        }

        assertThat(out).extracting(ClusterSnapshot::cluster).containsExactly("west");
        assertThat(westOnly.holdings("east")).isNull();
    }

    @Test
    void holdingsCarryTheVersionOnlyWhenTheyMatchTheManifest() {
        feed(SnapshotDiff.between(null, v1).records());
        assertThat(assembler.holdings("east").version()).isEqualTo(v1.version());

        accept(resource(LISTENER_TYPE, "extra", "x"));
        ClusterSnapshot held = assembler.holdings("east");

        assertThat(held.version()).isEmpty();
        assertThat(contents(held).get(LISTENER_TYPE)).containsKey("extra");
        assertThat(assembler.holdings("west")).isNull();
    }

    @Test
    void aManifestTombstoneWithdrawsTheCluster() {
        feed(SnapshotDiff.between(null, v1).records());

        assertThat(assembler.accept("east/_manifest", null)).isEmpty();

        assertThat(assembler.holdings("east")).isNull();
    }

    @Test
    void refusesAMalformedRecordWithoutChangingState() {
        feed(SnapshotDiff.between(null, v1).records());

        assertThatThrownBy(() -> assembler.accept("east/_manifest", bytes("{"))).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> assembler.accept("west/_manifest", SnapshotManifest.of(v1).encode()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cluster east");
        assertThatThrownBy(() -> assembler.accept("nokey", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(assembler.holdings("east").version()).isEqualTo(v1.version());
    }

    private SnapshotRecord resource(String type, String name, String content) {
        return new SnapshotRecord(new SnapshotKey.Resource("east", type, name).encode(), bytes(content));
    }

    private Optional<ClusterSnapshot> accept(SnapshotRecord r) {
        return assembler.accept(r.key(), r.value());
    }

    private List<ClusterSnapshot> feed(List<SnapshotRecord> records) {
        List<ClusterSnapshot> out = new ArrayList<>();
        records.forEach(r -> accept(r).ifPresent(out::add));
        return out;
    }

    private static List<SnapshotRecord> concat(List<SnapshotRecord> a, List<SnapshotRecord> b) {
        List<SnapshotRecord> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
