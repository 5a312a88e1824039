package meshlog.configstore.snapshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What to write to {@code meshlog.snapshots} to turn one published snapshot of a cluster into the next: each new or
 * changed resource, a tombstone for each removed one, and last the manifest. Records are sorted (type URL, then
 * name) so the same change always writes the same records.
 *
 * @param records to write in this order, in one transaction
 * @param changed how many resources are new or changed
 * @param removed how many tombstones
 */
public record SnapshotDiff(List<SnapshotRecord> records, int changed, int removed) {

    public SnapshotDiff {
        records = List.copyOf(records);
    }

    /**
     * @param previous what readers hold for the cluster now, or null if nothing
     * @throws IllegalArgumentException if the two snapshots are of different clusters
     */
    public static SnapshotDiff between(ClusterSnapshot previous, ClusterSnapshot next) {
        if (previous != null && !previous.cluster().equals(next.cluster())) {
            throw new IllegalArgumentException("cannot diff cluster " + previous.cluster() + " against "
                    + next.cluster());
        }
        Map<String, Map<String, byte[]>> before = previous == null ? Map.of() : previous.resources();
        List<SnapshotRecord> records = new ArrayList<>();
        next.resources().forEach((type, byName) -> byName.forEach((name, bytes) -> {
            byte[] old = before.getOrDefault(type, Map.of()).get(name);
            if (old == null || !Arrays.equals(old, bytes)) {
                records.add(new SnapshotRecord(new SnapshotKey.Resource(next.cluster(), type, name).encode(), bytes));
            }
        }));
        int changed = records.size();
        before.forEach((type, byName) -> byName.keySet().forEach(name -> {
            if (!next.resources().getOrDefault(type, Map.of()).containsKey(name)) {
                records.add(new SnapshotRecord(new SnapshotKey.Resource(next.cluster(), type, name).encode(), null));
            }
        }));
        int removed = records.size() - changed;
        records.add(new SnapshotRecord(new SnapshotKey.Manifest(next.cluster()).encode(),
                SnapshotManifest.of(next).encode()));
        return new SnapshotDiff(records, changed, removed);
    }
}
