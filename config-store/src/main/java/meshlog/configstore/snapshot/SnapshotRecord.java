package meshlog.configstore.snapshot;

/**
 * One record to write to {@code meshlog.snapshots}.
 *
 * @param key an encoded {@link SnapshotKey}
 * @param value a blob chunk or a scope pointer; null for a tombstone (a withdrawn scope, an unreferenced chunk)
 */
public record SnapshotRecord(String key, byte[] value) {

    public boolean tombstone() {
        return value == null;
    }
}
