package meshlog.configstore.snapshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The chunks of one blob a reader holds, each once. When every chunk is there and together they hash to the blob's
 * name, the blob is complete and kept as one array (the chunk arrays are let go; a one-chunk blob is its chunk, not
 * a copy). A chunk replaced or tombstoned later makes it incomplete again.
 */
final class ChunkedBlob {

    private final String hash;
    private final int count;
    /** Null while complete. */
    private byte[][] chunks;
    /** Non-null only while complete. */
    private byte[] whole;
    private int present;

    ChunkedBlob(String hash, int count) {
        this.hash = hash;
        this.count = count;
        this.chunks = new byte[count][];
    }

    int count() {
        return count;
    }

    boolean complete() {
        return whole != null;
    }

    boolean isEmpty() {
        return present == 0;
    }

    /** The blob's bytes; only while complete. */
    byte[] bytes() {
        if (whole == null) {
            throw new IllegalStateException("blob " + hash + " is not complete");
        }
        return whole;
    }

    /** The chunk indexes held, ascending. */
    List<Integer> presentChunks() {
        List<Integer> out = new ArrayList<>(present);
        for (int i = 0; i < count; i++) {
            if (whole != null || chunks[i] != null) {
                out.add(i);
            }
        }
        return out;
    }

    /** Holds chunk {@code i}; completes the blob if it was the last one missing and the hash matches. */
    void put(int i, byte[] value) {
        if (whole != null) {
            if (Arrays.equals(value, chunkOfWhole(i))) {
                return; // the same chunk written again
            }
            split();
        }
        if (chunks[i] == null) {
            present++;
        }
        chunks[i] = value;
        if (present == count) {
            byte[] joined = join();
            if (ScopeSnapshot.hash(joined).equals(hash)) {
                whole = joined;
                chunks = null;
            }
        }
    }

    /** Drops chunk {@code i} (a tombstone). */
    void remove(int i) {
        if (whole != null) {
            split();
        }
        if (chunks[i] != null) {
            chunks[i] = null;
            present--;
        }
    }

    private byte[] chunkOfWhole(int i) {
        if (count == 1) {
            return whole;
        }
        int from = Math.min(whole.length, i * Blobs.CHUNK);
        return Arrays.copyOfRange(whole, from, Math.min(whole.length, from + Blobs.CHUNK));
    }

    private void split() {
        byte[][] parts = new byte[count][];
        for (int i = 0; i < count; i++) {
            parts[i] = chunkOfWhole(i);
        }
        chunks = parts;
        whole = null;
    }

    private byte[] join() {
        if (count == 1) {
            return chunks[0];
        }
        int size = 0;
        for (byte[] c : chunks) {
            size += c.length; // at most MAX_CHUNKS * CHUNK: the assembler refuses longer chunks
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, out, at, c.length);
            at += c.length;
        }
        return out;
    }
}
