package meshlog.configstore.snapshot;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the snapshots topic holds for one cluster, by reference only (no resource bytes): each scope's pointer and
 * each blob's chunks. A publisher diffs the next set of scopes against it to write only what readers lack
 * ({@link SnapshotDiff}).
 *
 * @param pointers by scope id: the pointer the topic holds (its snapshot need not be complete)
 * @param blobs by hash: the chunks the topic holds
 */
public record SnapshotHoldings(String cluster, Map<String, ScopePointer> pointers, Map<String, HeldBlob> blobs) {

    public SnapshotHoldings {
        pointers = Collections.unmodifiableMap(new TreeMap<>(pointers));
        blobs = Collections.unmodifiableMap(new TreeMap<>(blobs));
    }

    /** Nothing held: a cluster never published, or withdrawn. */
    public static SnapshotHoldings empty(String cluster) {
        return new SnapshotHoldings(cluster, Map.of(), Map.of());
    }

    /** True when the topic holds every chunk of the blob {@code hash} and they hash to it. */
    public boolean holds(String hash) {
        HeldBlob b = blobs.get(hash);
        return b != null && b.complete();
    }

    /**
     * One blob's chunks on the topic.
     *
     * @param count the chunk count in its keys
     * @param present the chunk indexes held (their keys are what a removal tombstones), ascending
     * @param complete every chunk is held and together they hash to the blob's name
     */
    public record HeldBlob(int count, List<Integer> present, boolean complete) {
        public HeldBlob {
            present = List.copyOf(present);
        }

        /** A blob just written in full. */
        static HeldBlob whole(int count) {
            return new HeldBlob(count, count == 1 ? List.of(0) : java.util.stream.IntStream.range(0, count)
                    .boxed().toList(), true);
        }
    }
}
