package meshlog.configstore.snapshot;

import static meshlog.configstore.snapshot.Snapshots.CLUSTER_TYPE;
import static meshlog.configstore.snapshot.Snapshots.LISTENER_TYPE;
import static meshlog.configstore.snapshot.Snapshots.bytes;
import static meshlog.configstore.snapshot.Snapshots.keys;
import static meshlog.configstore.snapshot.Snapshots.scoped;
import static meshlog.configstore.snapshot.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SnapshotDiffTest {

    private static final SnapshotHoldings NOTHING = SnapshotHoldings.empty("east");

    private final ScopeSnapshot a1 = scoped("east", "a", "c1", CLUSTER_TYPE, "x", "cx", CLUSTER_TYPE, "y", "cy",
            LISTENER_TYPE, "l", "la");
    private final ScopeSnapshot b1 = scoped("east", "b", "c1", CLUSTER_TYPE, "x", "cx", CLUSTER_TYPE, "y", "cy",
            LISTENER_TYPE, "l", "lb");

    @Test
    void theFirstPublicationWritesSharedBlobsOnceThenBodiesThenPointers() {
        SnapshotDiff diff = SnapshotDiff.between(NOTHING, "east", List.of(b1, a1));

        assertThat(keys(diff.records())).containsExactly(
                blob("cx"), blob("cy"), blob("la"), body(a1), blob("lb"), body(b1),
                "east/a/_manifest", "east/b/_manifest");
        assertThat(diff.changed()).isEqualTo(2);
        assertThat(diff.removed()).isZero();
        assertThat(diff.blobsWritten()).isEqualTo(6);
        assertThat(diff.tombstones()).isZero();
        assertThat(diff.records()).noneMatch(SnapshotRecord::tombstone);
        ScopePointer pointer = ScopePointer.decode(diff.records().get(6).value());
        assertThat(pointer.manifest()).isEqualTo(ScopeSnapshot.hash(SnapshotManifest.of(a1).encode()));
        assertThat(SnapshotManifest.decode(diff.records().get(3).value())).isEqualTo(SnapshotManifest.of(a1));
    }

    @Test
    void publishingTheSameVersionsAgainIsUnchanged_evenWithAnotherCommit() {
        SnapshotHoldings held = SnapshotDiff.between(NOTHING, "east", List.of(a1, b1)).after();

        SnapshotDiff again = SnapshotDiff.between(held, "east", List.of(a1,
                scoped("east", "b", "c2", CLUSTER_TYPE, "x", "cx", CLUSTER_TYPE, "y", "cy", LISTENER_TYPE, "l", "lb")));

        assertThat(again.unchanged()).isTrue();
        assertThat(again.records()).isEmpty();
        assertThat(again.after()).isEqualTo(held);
    }

    @Test
    void aChangedResourceWritesItsBlobABodyAPointerAndTombstonesWhatNoScopeReferences() {
        SnapshotHoldings held = SnapshotDiff.between(NOTHING, "east", List.of(a1, b1)).after();
        ScopeSnapshot a2 = scoped("east", "a", "c2", CLUSTER_TYPE, "x", "cx2", CLUSTER_TYPE, "y", "cy",
                LISTENER_TYPE, "l", "la");

        SnapshotDiff diff = SnapshotDiff.between(held, "east", List.of(a2));

        assertThat(keys(diff.records())).containsExactlyElementsOf(Snapshots.concat(
                List.of(blob("cx2"), body(a2), "east/a/_manifest", "east/b/_manifest"), // b withdrawn
                // by hash: cx (b still listed it, but b is gone), lb, a1's and b1's bodies
                sortedTombstones(List.of(blob("cx"), blob("lb"), body(a1), body(b1)))));
        assertThat(diff.records().subList(3, 8)).allMatch(SnapshotRecord::tombstone);
        assertThat(diff.changed()).isEqualTo(1);
        assertThat(diff.removed()).isEqualTo(1);
        assertThat(diff.tombstones()).isEqualTo(5);
        assertThat(diff.after().pointers()).containsOnlyKeys("a");
        assertThat(diff.after().blobs()).containsOnlyKeys(h("cx2"), h("cy"), h("la"),
                ScopeSnapshot.hash(SnapshotManifest.of(a2).encode()));
    }

    @Test
    void aBlobOverOneChunkIsCutEvenly() {
        byte[] big = new byte[2 * Blobs.CHUNK + 5];
        new Random(1).nextBytes(big);
        ScopeSnapshot s = new ScopeSnapshot("east", "grpc", "v", null, Map.of(CLUSTER_TYPE, Map.of("big", big,
                "empty", new byte[0])));

        List<SnapshotRecord> records = SnapshotDiff.between(NOTHING, "east", List.of(s)).records();

        String hash = ScopeSnapshot.hash(big);
        assertThat(keys(records)).startsWith("east/_blob/" + hash + "/0/3", "east/_blob/" + hash + "/1/3",
                "east/_blob/" + hash + "/2/3", "east/_blob/" + ScopeSnapshot.hash(new byte[0]) + "/0/1");
        assertThat(records.subList(0, 4)).extracting(r -> r.value().length)
                .containsExactly(Blobs.CHUNK, Blobs.CHUNK, 5, 0);
    }

    @Test
    void whatTheDiffSaysIsHeldAfterIsWhatAReaderHolds() {
        SnapshotAssembler reader = new SnapshotAssembler();
        SnapshotHoldings held = NOTHING;
        List<List<ScopeSnapshot>> steps = List.of(List.of(a1, b1), List.of(a1), List.of(b1),
                List.of(snapshot("east", "c3", CLUSTER_TYPE, "x", "cx")), List.of());
        for (List<ScopeSnapshot> step : steps) {
            SnapshotDiff diff = SnapshotDiff.between(held, "east", step);
            diff.records().forEach(r -> reader.accept(r.key(), r.value()));
            held = diff.after();
            assertThat(reader.holdings("east")).isEqualTo(held);
        }
        assertThat(held).isEqualTo(NOTHING);
    }

    @Test
    void refusesScopesOfAnotherClusterOrTwice() {
        assertThatThrownBy(() -> SnapshotDiff.between(NOTHING, "east", List.of(snapshot("west", "c"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("of cluster west");
        assertThatThrownBy(() -> SnapshotDiff.between(NOTHING, "east", List.of(a1, a1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> SnapshotDiff.between(SnapshotHoldings.empty("west"), "east", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String h(String content) {
        return ScopeSnapshot.hash(bytes(content));
    }

    private static String blob(String content) {
        return "east/_blob/" + h(content) + "/0/1";
    }

    private static String body(ScopeSnapshot s) {
        return "east/_blob/" + ScopeSnapshot.hash(SnapshotManifest.of(s).encode()) + "/0/1";
    }

    private static List<String> sortedTombstones(List<String> keys) {
        return keys.stream().sorted().toList();
    }
}
