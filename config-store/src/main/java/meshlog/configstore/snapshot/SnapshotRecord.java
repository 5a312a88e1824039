package meshlog.configstore.snapshot;

/**
 * One record to write to {@code meshlog.snapshots}.
 *
 * @param key an encoded {@link SnapshotKey}
 * @param value the serialized resource or manifest; null for a tombstone (a removed resource)
 */
public record SnapshotRecord(String key, byte[] value) {

    public boolean tombstone() {
        return value == null;
    }
}
