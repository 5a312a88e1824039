package meshlog.configstore.snapshot;

/**
 * The key of a {@code meshlog.snapshots} record: one chunk of a content-addressed blob
 * ({@code <cluster>/_blob/<sha256>/<i>/<n>}) or a scope's pointer ({@code <cluster>/<scope>/_manifest}).
 *
 * <p>The cluster is written with '%' as {@code %25} and '/' as {@code %2F}, every other character as is, so it holds
 * no '/'. Scope ids cannot hold '/' and cannot be {@code _blob} ({@link ScopeSnapshot#checkScope}), the hash is 64
 * lowercase hex digits, and the chunk numbers are canonical decimals, so a key splits on '/' into exactly one form
 * and one chunk has exactly one key (a tombstone always hits the record it means).
 */
public sealed interface SnapshotKey {

    String BLOB = "_blob";
    String MANIFEST = "_manifest";

    String cluster();

    /** The record key as written to Kafka. */
    String encode();

    /**
     * Chunk {@code index} of {@code count} of the blob whose bytes hash to {@code hash}.
     *
     * @throws IllegalArgumentException if the hash is no hex SHA-256, or the numbers are out of range
     *                                  (a blob has at most 1,024 chunks)
     */
    record Blob(String cluster, String hash, int index, int count) implements SnapshotKey {
        public Blob {
            requireCluster(cluster);
            requireHash(hash);
            if (count < 1 || count > Blobs.MAX_CHUNKS || index < 0 || index >= count) {
                throw new IllegalArgumentException("blob chunk " + index + " of " + count + " is out of range: "
                        + "a blob has 1 to " + Blobs.MAX_CHUNKS + " chunks");
            }
        }

        @Override
        public String encode() {
            return escape(cluster) + "/" + BLOB + "/" + hash + "/" + index + "/" + count;
        }
    }

    /** The pointer naming a scope's current manifest. */
    record Pointer(String cluster, String scope) implements SnapshotKey {
        public Pointer {
            requireCluster(cluster);
            ScopeSnapshot.checkScope(scope);
        }

        @Override
        public String encode() {
            return escape(cluster) + "/" + scope + "/" + MANIFEST;
        }
    }

    /** @throws IllegalArgumentException if {@code key} is neither form */
    static SnapshotKey parse(String key) {
        if (key == null) {
            throw new IllegalArgumentException("a snapshot record needs a key");
        }
        String[] parts = key.split("/", -1);
        if (parts.length < 3 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("not a snapshot key: " + shown(key));
        }
        String cluster = unescape(parts[0], key);
        if (parts[1].equals(BLOB) && parts.length == 5) {
            return new Blob(cluster, parts[2], number(parts[3], key), number(parts[4], key));
        }
        if (parts.length == 3 && parts[2].equals(MANIFEST)) {
            return new Pointer(cluster, parts[1]);
        }
        throw new IllegalArgumentException("not a snapshot key: " + shown(key));
    }

    /** A key as it may appear in a log line: cut, and with control characters replaced. */
    static String shown(String key) {
        String cut = key.length() > 300 ? key.substring(0, 300) + "..." : key;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static void requireCluster(String cluster) {
        if (cluster == null || cluster.isEmpty()) {
            throw new IllegalArgumentException("snapshot key needs a cluster");
        }
    }

    private static void requireHash(String hash) {
        if (hash == null || !Blobs.HEX_SHA256.matcher(hash).matches()) {
            throw new IllegalArgumentException("not a hex SHA-256: " + (hash == null ? "null" : shown(hash)));
        }
    }

    private static int number(String s, String key) {
        if (!Blobs.CHUNK_NUMBER.matcher(s).matches()) {
            throw new IllegalArgumentException("bad chunk number in snapshot key: " + shown(key));
        }
        return Integer.parseInt(s);
    }

    private static String escape(String s) {
        return s.replace("%", "%25").replace("/", "%2F");
    }

    private static String unescape(String s, String key) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                sb.append(c);
            } else if (s.startsWith("%25", i)) {
                sb.append('%');
                i += 2;
            } else if (s.regionMatches(true, i, "%2F", 0, 3)) {
                sb.append('/');
                i += 2;
            } else {
                throw new IllegalArgumentException("bad escape in snapshot key: " + shown(key));
            }
        }
        return sb.toString();
    }
}
