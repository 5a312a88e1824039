package meshlog.configstore.snapshot;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Every xDS resource the proxies of one scope of one cluster are served, as serialized protobuf bytes by type URL
 * and resource name. The config store never parses the bytes: that keeps Envoy's protos out of this module.
 *
 * <p>A scope is an opaque id the reconciler chooses (such as {@code grpc} or {@code sidecar~default~NONE~3f2a9c1e}):
 * proxies whose config is computed from the same inputs share one scope. It is 1 to {@value #MAX_SCOPE_LENGTH}
 * characters of {@code [A-Za-z0-9._~-]}, and not {@code _blob} (a reserved key segment), so it can stand in a
 * record key as is.
 *
 * @param version content hash of all resources: equal content, equal version, on every replica
 * @param commit the git commit the snapshot was computed from (for the audit trail), or null
 */
public record ScopeSnapshot(String cluster, String scope, String version, String commit,
                            Map<String, Map<String, byte[]>> resources) {

    public static final int MAX_SCOPE_LENGTH = 200;

    private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9._~-]{1," + MAX_SCOPE_LENGTH + "}");

    /** @throws IllegalArgumentException if the cluster is empty or the scope is not a scope id */
    public ScopeSnapshot {
        if (cluster == null || cluster.isEmpty()) {
            throw new IllegalArgumentException("a snapshot needs a cluster");
        }
        checkScope(scope);
        if (version == null) {
            throw new IllegalArgumentException("a snapshot needs a version");
        }
        TreeMap<String, Map<String, byte[]>> copy = new TreeMap<>();
        resources.forEach((type, byName) -> copy.put(type, Collections.unmodifiableMap(new TreeMap<>(byName))));
        resources = Collections.unmodifiableMap(copy);
    }

    /**
     * Returns {@code scope} if it is a valid scope id.
     *
     * @throws IllegalArgumentException naming the offending value and what is allowed
     */
    public static String checkScope(String scope) {
        if (scope == null || !SCOPE.matcher(scope).matches() || scope.equals(SnapshotKey.BLOB)) {
            String shown = scope == null ? "null"
                    : "'" + (scope.length() > 40 ? scope.substring(0, 40) + "...' (" + scope.length() + " chars)"
                    : scope + "'");
            throw new IllegalArgumentException("not a scope id: " + shown.replaceAll("[^\\x20-\\x7e]", "?")
                    + "; allowed: 1 to " + MAX_SCOPE_LENGTH + " characters of [A-Za-z0-9._~-], not "
                    + SnapshotKey.BLOB);
        }
        return scope;
    }

    /** How many resources the snapshot holds, over all types. */
    public int resourceCount() {
        return resources.values().stream().mapToInt(Map::size).sum();
    }

    /** Hex SHA-256 of a resource's bytes: the per-resource version the manifest records, and its blob's id. */
    public static String hash(byte[] payload) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** The version of a whole set of resources: a hash over sorted (type, name, resource hash) triples. */
    public static String versionOf(Map<String, Map<String, byte[]>> resources) {
        return versionOf(resources, ScopeSnapshot::hash);
    }

    /**
     * {@link #versionOf(Map)}, with each resource's hash from {@code hashes}, which must be {@link #hash} (a caller
     * computing many snapshots that share arrays hashes each array once).
     */
    public static String versionOf(Map<String, Map<String, byte[]>> resources, Function<byte[], String> hashes) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(resources).forEach((type, byName) -> new TreeMap<>(byName).forEach((name, bytes) ->
                sb.append(type).append('\n').append(name).append('\n').append(hashes.apply(bytes)).append('\n')));
        return hash(sb.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }
}
