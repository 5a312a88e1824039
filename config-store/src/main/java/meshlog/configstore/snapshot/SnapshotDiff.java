package meshlog.configstore.snapshot;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What to write to {@code meshlog.snapshots} to make a set of scopes a cluster's served set, given what the topic
 * holds: in this order, in one transaction,
 * <ol>
 *   <li>every blob chunk the topic lacks: resources (shared by scopes: written once) and manifest bodies;</li>
 *   <li>the pointer of each new or changed scope;</li>
 *   <li>a tombstone for the pointer of each scope no longer in the set, then for every chunk of every blob no scope
 *       of the set references.</li>
 * </ol>
 * A scope whose version the topic already points to is unchanged: its pointer (and so its commit) stays. Records
 * are sorted (scope, type URL, name; tombstones by scope, hash, chunk), so the same change writes the same records.
 *
 * @param records to write in this order, in one transaction
 * @param after what the topic holds once they are written
 * @param changed how many scopes get a new pointer
 * @param removed how many scopes are withdrawn
 * @param blobsWritten how many blobs are written (each in one or more chunks)
 * @param tombstones how many tombstones, pointers and chunks
 */
public record SnapshotDiff(List<SnapshotRecord> records, SnapshotHoldings after, int changed, int removed,
                           int blobsWritten, int tombstones) {

    public SnapshotDiff {
        records = List.copyOf(records);
    }

    /**
     * True when nothing readers serve would change: no blob to write, no pointer to write or withdraw. Tombstones of
     * unreferenced blobs alone are not worth a transaction; the next change writes them.
     */
    public boolean unchanged() {
        return changed == 0 && removed == 0 && blobsWritten == 0;
    }

    /**
     * @param previous what the topic holds for {@code cluster} now
     * @param next the scopes to serve, each of {@code cluster}, each scope id once
     * @throws IllegalArgumentException if a scope is of another cluster or twice in {@code next}, or a blob is over
     *                                  256 MiB
     */
    public static SnapshotDiff between(SnapshotHoldings previous, String cluster, Collection<ScopeSnapshot> next) {
        if (!previous.cluster().equals(cluster)) {
            throw new IllegalArgumentException("cannot diff cluster " + cluster + " against holdings of "
                    + previous.cluster());
        }
        Map<String, ScopeSnapshot> byScope = new TreeMap<>();
        for (ScopeSnapshot s : next) {
            if (!s.cluster().equals(cluster)) {
                throw new IllegalArgumentException("scope " + s.scope() + " is of cluster " + s.cluster()
                        + ", not " + cluster);
            }
            if (byScope.put(s.scope(), s) != null) {
                throw new IllegalArgumentException("scope " + s.scope() + " is twice in one publication");
            }
        }
        Plan plan = new Plan(previous);
        byScope.values().forEach(plan::add);
        return plan.finish(byScope.keySet());
    }

    /** The records being gathered: blob writes, pointer writes, and what the scopes reference. */
    private static final class Plan {
        final SnapshotHoldings previous;
        final List<SnapshotRecord> blobRecords = new ArrayList<>();
        final List<SnapshotRecord> pointerRecords = new ArrayList<>();
        final Map<String, SnapshotHoldings.HeldBlob> blobs;
        final Map<String, ScopePointer> pointers = new TreeMap<>();
        final Set<String> referenced = new HashSet<>();
        /**
         * Each array hashed once per publication: scopes computed together share the arrays of the resources they
         * have in common (500 scopes, one array of a cluster they all list), so this is one hash, not 500.
         */
        final Map<byte[], String> hashes = new java.util.IdentityHashMap<>();
        int blobsWritten;

        Plan(SnapshotHoldings previous) {
            this.previous = previous;
            this.blobs = new HashMap<>(previous.blobs());
        }

        void add(ScopeSnapshot s) {
            s.resources().values().forEach(byName -> byName.values().forEach(bytes -> blob(hash(bytes), bytes)));
            ScopePointer held = previous.pointers().get(s.scope());
            if (held != null && held.version().equals(s.version()) && holds(held.manifest())) {
                referenced.add(held.manifest());
                pointers.put(s.scope(), held);
                return;
            }
            SnapshotManifest manifest = SnapshotManifest.of(s, this::hash);
            byte[] body = manifest.encode();
            ScopePointer pointer = ScopePointer.of(manifest, body);
            blob(pointer.manifest(), body);
            pointers.put(s.scope(), pointer);
            if (!pointer.equals(held)) {
                pointerRecords.add(new SnapshotRecord(new SnapshotKey.Pointer(s.cluster(), s.scope()).encode(),
                        pointer.encode()));
            }
        }

        private String hash(byte[] bytes) {
            return hashes.computeIfAbsent(bytes, ScopeSnapshot::hash);
        }

        /** Writes the blob unless the topic holds it whole, or this plan writes it already. */
        private void blob(String hash, byte[] bytes) {
            referenced.add(hash);
            if (!holds(hash)) {
                blobRecords.addAll(Blobs.records(previous.cluster(), hash, bytes));
                blobs.put(hash, SnapshotHoldings.HeldBlob.whole(Blobs.chunkCount(bytes.length)));
                blobsWritten++;
            }
        }

        private boolean holds(String hash) {
            SnapshotHoldings.HeldBlob b = blobs.get(hash);
            return b != null && b.complete();
        }

        SnapshotDiff finish(Set<String> scopes) {
            String cluster = previous.cluster();
            List<SnapshotRecord> records = new ArrayList<>(blobRecords);
            records.addAll(pointerRecords);
            int removed = 0;
            for (String scope : previous.pointers().keySet()) {
                if (!scopes.contains(scope)) {
                    records.add(new SnapshotRecord(new SnapshotKey.Pointer(cluster, scope).encode(), null));
                    removed++;
                }
            }
            int tombstones = removed;
            for (Map.Entry<String, SnapshotHoldings.HeldBlob> b : previous.blobs().entrySet()) { // sorted by hash
                if (!referenced.contains(b.getKey())) {
                    for (int i : b.getValue().present()) {
                        records.add(new SnapshotRecord(new SnapshotKey.Blob(cluster, b.getKey(), i,
                                b.getValue().count()).encode(), null));
                        tombstones++;
                    }
                    blobs.remove(b.getKey());
                }
            }
            return new SnapshotDiff(records, new SnapshotHoldings(cluster, pointers, blobs), pointerRecords.size(),
                    removed, blobsWritten, tombstones);
        }
    }
}
