package meshlog.configstore.snapshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How a blob (a serialized resource or a manifest body) is cut into records: chunks of {@value #CHUNK} bytes, the
 * last one shorter, at least one chunk (an empty blob is one empty chunk, never a tombstone). The bounds keep a
 * reader's allocation finite whatever a record claims.
 */
final class Blobs {

    /** Bytes per chunk: far below Kafka's default 1 MiB record limit, whatever the key. */
    static final int CHUNK = 256 * 1024;
    /** Most chunks a blob may have. */
    static final int MAX_CHUNKS = 1024;
    /** Largest blob: {@value #MAX_CHUNKS} full chunks, 256 MiB. */
    static final long MAX_BYTES = (long) CHUNK * MAX_CHUNKS;
    static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** A canonical non-negative decimal of at most 4 digits: one chunk has exactly one key. */
    static final Pattern CHUNK_NUMBER = Pattern.compile("0|[1-9][0-9]{0,3}");

    private Blobs() {
    }

    /** How many chunks a blob of {@code size} bytes takes. */
    static int chunkCount(long size) {
        if (size < 0 || size > MAX_BYTES) {
            throw new IllegalArgumentException("a blob of " + size + " bytes is out of range: at most "
                    + MAX_BYTES + " bytes");
        }
        return size == 0 ? 1 : (int) ((size + CHUNK - 1) / CHUNK);
    }

    /** The records of one blob, chunk 0 first. */
    static List<SnapshotRecord> records(String cluster, String hash, byte[] blob) {
        int n = chunkCount(blob.length);
        List<SnapshotRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] chunk = n == 1 ? blob : Arrays.copyOfRange(blob, i * CHUNK, Math.min(blob.length, (i + 1) * CHUNK));
            out.add(new SnapshotRecord(new SnapshotKey.Blob(cluster, hash, i, n).encode(), chunk));
        }
        return out;
    }
}
