package meshlog.configstore.snapshot;

/**
 * The key of a {@code meshlog.snapshots} record: one resource ({@code <cluster>/<typeUrl>/<name>}) or a cluster's
 * manifest ({@code <cluster>/_manifest}).
 *
 * <p>Type URLs contain '/', and names may too (an Envoy route name can be anything). So the cluster and the name are
 * written with '%' as {@code %25} and '/' as {@code %2F}, every other character as is (names like
 * {@code outbound|8080|v1|reviews.default.svc.cluster.local} stay readable). A key is then read by splitting on its
 * first '/' (the cluster) and its last '/' (before the name); what lies between is the type URL. A manifest key has
 * no second '/', so it can never be mistaken for a resource key.
 */
public sealed interface SnapshotKey {

    String MANIFEST = "_manifest";

    String cluster();

    /** The record key as written to Kafka. */
    String encode();

    /** One xDS resource of one cluster. */
    record Resource(String cluster, String typeUrl, String name) implements SnapshotKey {
        public Resource {
            requireCluster(cluster);
            if (typeUrl == null || typeUrl.isEmpty()) {
                throw new IllegalArgumentException("resource key needs a type URL");
            }
        }

        @Override
        public String encode() {
            return escape(cluster) + "/" + typeUrl + "/" + escape(name);
        }
    }

    /** A cluster's snapshot manifest. */
    record Manifest(String cluster) implements SnapshotKey {
        public Manifest {
            requireCluster(cluster);
        }

        @Override
        public String encode() {
            return escape(cluster) + "/" + MANIFEST;
        }
    }

    /** @throws IllegalArgumentException if {@code key} is neither form */
    static SnapshotKey parse(String key) {
        int first = key.indexOf('/');
        if (first <= 0) {
            throw new IllegalArgumentException("not a snapshot key (no cluster): " + key);
        }
        String cluster = unescape(key.substring(0, first), key);
        String rest = key.substring(first + 1);
        if (rest.equals(MANIFEST)) {
            return new Manifest(cluster);
        }
        int last = rest.lastIndexOf('/');
        if (last <= 0) {
            throw new IllegalArgumentException("not a snapshot key (no type URL and name): " + key);
        }
        return new Resource(cluster, rest.substring(0, last), unescape(rest.substring(last + 1), key));
    }

    private static void requireCluster(String cluster) {
        if (cluster == null || cluster.isEmpty()) {
            throw new IllegalArgumentException("snapshot key needs a cluster");
        }
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
                throw new IllegalArgumentException("bad escape in snapshot key: " + key);
            }
        }
        return sb.toString();
    }
}
