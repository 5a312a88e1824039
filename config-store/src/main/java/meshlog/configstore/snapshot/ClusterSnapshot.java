package meshlog.configstore.snapshot;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every xDS resource one cluster's proxies are served, as serialized protobuf bytes by type URL and resource name.
 * The config store never parses the bytes: that keeps Envoy's protos out of this module.
 *
 * @param version content hash of all resources: equal content, equal version, on every replica
 * @param commit the git commit the snapshot was computed from (for the audit trail)
 */
public record ClusterSnapshot(String cluster, String version, String commit,
                              Map<String, Map<String, byte[]>> resources) {

    public ClusterSnapshot {
        TreeMap<String, Map<String, byte[]>> copy = new TreeMap<>();
        resources.forEach((type, byName) -> copy.put(type, Collections.unmodifiableMap(new TreeMap<>(byName))));
        resources = Collections.unmodifiableMap(copy);
    }

    /** Hex SHA-256 of a resource's bytes: the per-resource version the manifest records. */
    public static String hash(byte[] payload) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** The version of a whole set of resources: a hash over sorted (type, name, resource hash) triples. */
    public static String versionOf(Map<String, Map<String, byte[]>> resources) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(resources).forEach((type, byName) -> new TreeMap<>(byName).forEach((name, bytes) ->
                sb.append(type).append('\n').append(name).append('\n').append(hash(bytes)).append('\n')));
        return hash(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 16);
    }
}
