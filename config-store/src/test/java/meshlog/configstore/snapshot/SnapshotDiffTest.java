package meshlog.configstore.snapshot;

import static meshlog.configstore.snapshot.Snapshots.CLUSTER_TYPE;
import static meshlog.configstore.snapshot.Snapshots.LISTENER_TYPE;
import static meshlog.configstore.snapshot.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotDiffTest {

    private static final String C = "east/" + CLUSTER_TYPE + "/";
    private static final String L = "east/" + LISTENER_TYPE + "/";

    @Test
    void theFirstSnapshotWritesEverythingThenTheManifest() {
        ClusterSnapshot next = snapshot("east", "c1", CLUSTER_TYPE, "b", "cb", CLUSTER_TYPE, "a", "ca",
                LISTENER_TYPE, "l", "ll");

        SnapshotDiff diff = SnapshotDiff.between(null, next);

        assertThat(keys(diff)).containsExactly(C + "a", C + "b", L + "l", "east/_manifest");
        assertThat(diff.changed()).isEqualTo(3);
        assertThat(diff.removed()).isZero();
        assertThat(SnapshotManifest.decode(diff.records().get(3).value())).isEqualTo(SnapshotManifest.of(next));
    }

    @Test
    void writesChangedAndNewResourcesAndTombstonesForRemovedOnes() {
        ClusterSnapshot before = snapshot("east", "c1", CLUSTER_TYPE, "a", "ca", CLUSTER_TYPE, "b", "cb",
                LISTENER_TYPE, "l", "ll");
        ClusterSnapshot after = snapshot("east", "c2", CLUSTER_TYPE, "a", "ca", CLUSTER_TYPE, "b", "cb2",
                CLUSTER_TYPE, "c/1", "cc");

        SnapshotDiff diff = SnapshotDiff.between(before, after);

        assertThat(keys(diff)).containsExactly(C + "b", C + "c%2F1", L + "l", "east/_manifest");
        assertThat(diff.records().get(2).tombstone()).isTrue();
        assertThat(diff.records().subList(0, 2)).noneMatch(SnapshotRecord::tombstone);
        assertThat(diff.changed()).isEqualTo(2);
        assertThat(diff.removed()).isEqualTo(1);
    }

    @Test
    void anUnchangedSnapshotWritesOnlyItsManifest() {
        ClusterSnapshot s = snapshot("east", "c1", CLUSTER_TYPE, "a", "ca");

        SnapshotDiff diff = SnapshotDiff.between(s, snapshot("east", "c2", CLUSTER_TYPE, "a", "ca"));

        assertThat(keys(diff)).containsExactly("east/_manifest");
    }

    @Test
    void refusesToDiffTwoClusters() {
        assertThatThrownBy(() -> SnapshotDiff.between(snapshot("east", "c"), snapshot("west", "c")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> keys(SnapshotDiff diff) {
        return diff.records().stream().map(SnapshotRecord::key).toList();
    }
}
