package meshlog.xds.snapshot;

import com.google.protobuf.Message;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/**
 * Holds each distinct resource once across the scopes a distributor serves: a resource whose bytes another scope's
 * snapshot already holds is not parsed again, and both point at the same proto. Scopes of one cluster share most of
 * their clusters and endpoints; without this, 500 scopes of 1,000 services held 500 copies of each. Entries go when
 * no snapshot refers to their proto any more (weak references), so the pool never keeps what is no longer served.
 * Keyed by type and the SHA-256 of the bytes: equal keys are equal resources.
 */
public final class ResourcePool {

    private record Key(String typeUrl, ByteBuffer digest) {
    }

    private static final class Entry extends WeakReference<Message> {
        final Key key;

        Entry(Key key, Message message, ReferenceQueue<Message> queue) {
            super(message, queue);
            this.key = key;
        }
    }

    private final Map<Key, Entry> entries = new HashMap<>();
    private final ReferenceQueue<Message> collected = new ReferenceQueue<>();

    /** The pooled proto for these bytes, or null; call {@link #put} after parsing one that was not. */
    synchronized Message get(String typeUrl, byte[] bytes) {
        purge();
        Entry e = entries.get(new Key(typeUrl, digest(bytes)));
        return e == null ? null : e.get();
    }

    synchronized void put(String typeUrl, byte[] bytes, Message message) {
        Key key = new Key(typeUrl, digest(bytes));
        entries.put(key, new Entry(key, message, collected));
    }

    /** Distinct resources held now (for tests and metrics). */
    public synchronized int size() {
        purge();
        return entries.size();
    }

    private void purge() {
        for (Object ref = collected.poll(); ref != null; ref = collected.poll()) {
            Entry gone = (Entry) ref;
            entries.remove(gone.key, gone);
        }
    }

    private static ByteBuffer digest(byte[] bytes) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
