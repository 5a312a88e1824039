package meshlog.configstore.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.event.EventCodec;
import meshlog.configstore.event.VersionedJson;

/**
 * A manifest body: which resources make up one scope's snapshot, by content hash. It is itself a blob (stored in
 * chunks, named by its hash); the scope's {@link ScopePointer} names it. A reader serves the snapshot only once it
 * holds the body and every listed resource with that hash.
 *
 * @param version the snapshot's version (as {@link ScopeSnapshot#version()})
 * @param commit the git commit it was computed from, or null
 * @param resources by type URL, then resource name: hex SHA-256 of the resource's bytes (its blob)
 */
public record SnapshotManifest(String cluster, String scope, String version, String commit,
                               Map<String, Map<String, String>> resources) {

    /** 2: per-scope manifests stored as blobs (1 was one manifest record per cluster). */
    public static final int SCHEMA_VERSION = 2;

    public SnapshotManifest {
        TreeMap<String, Map<String, String>> copy = new TreeMap<>();
        resources.forEach((type, byName) -> copy.put(type, Collections.unmodifiableMap(new TreeMap<>(byName))));
        resources = Collections.unmodifiableMap(copy);
    }

    /** The manifest of {@code snapshot}. */
    public static SnapshotManifest of(ScopeSnapshot snapshot) {
        return of(snapshot, ScopeSnapshot::hash);
    }

    /** The manifest of {@code snapshot}, each resource's hash from {@code hashes} (which must be {@link ScopeSnapshot#hash}). */
    static SnapshotManifest of(ScopeSnapshot snapshot, java.util.function.Function<byte[], String> hash) {
        Map<String, Map<String, String>> hashes = new TreeMap<>();
        snapshot.resources().forEach((type, byName) -> {
            Map<String, String> h = new TreeMap<>();
            byName.forEach((name, bytes) -> h.put(name, hash.apply(bytes)));
            hashes.put(type, h);
        });
        return new SnapshotManifest(snapshot.cluster(), snapshot.scope(), snapshot.version(), snapshot.commit(),
                hashes);
    }

    /** The expected hash of one resource, or null if the snapshot does not list it. */
    public String hashOf(String typeUrl, String name) {
        Map<String, String> byName = resources.get(typeUrl);
        return byName == null ? null : byName.get(name);
    }

    public int resourceCount() {
        return resources.values().stream().mapToInt(Map::size).sum();
    }

    /** JSON with a {@code schemaVersion}, maps sorted: the same manifest always encodes to the same bytes. */
    public byte[] encode() {
        return VersionedJson.encode(null, SCHEMA_VERSION, this);
    }

    /** @throws IllegalArgumentException if the bytes are not a manifest body this version can read */
    public static SnapshotManifest decode(byte[] bytes) {
        try {
            JsonNode node = EventCodec.json().readTree(bytes);
            int version = node == null ? -1 : node.path("schemaVersion").asInt(-1);
            if (version != SCHEMA_VERSION) {
                throw new IllegalArgumentException("unreadable snapshot manifest: schemaVersion=" + version);
            }
            if (!node.path("resources").isObject()) {
                throw new IllegalArgumentException("snapshot manifest without resources");
            }
            SnapshotManifest m = EventCodec.json().treeToValue(node, SnapshotManifest.class);
            if (m.cluster() == null || m.scope() == null || m.version() == null) {
                throw new IllegalArgumentException("snapshot manifest without cluster, scope or version");
            }
            ScopeSnapshot.checkScope(m.scope());
            m.resources().forEach((type, byName) -> byName.forEach((name, hash) -> {
                if (hash == null || !Blobs.HEX_SHA256.matcher(hash).matches()) {
                    throw new IllegalArgumentException("snapshot manifest lists no hex SHA-256 for a resource of "
                            + "type " + SnapshotKey.shown(type));
                }
            }));
            return m;
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable snapshot manifest: " + e.getMessage(), e);
        }
    }
}
