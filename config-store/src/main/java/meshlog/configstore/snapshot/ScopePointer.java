package meshlog.configstore.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import meshlog.configstore.event.EventCodec;
import meshlog.configstore.event.VersionedJson;

/**
 * The value of a scope's pointer record (key {@code <cluster>/<scope>/_manifest}): which manifest body is the
 * scope's snapshot now. Small whatever the mesh: the body it names is a chunked blob.
 *
 * @param version the snapshot's version, so a reader can skip a version it already serves without the body
 * @param commit the git commit it was computed from, or null
 * @param manifest hex SHA-256 of the manifest body
 * @param size the body's length in bytes, at most 256 MiB
 */
public record ScopePointer(String cluster, String scope, String version, String commit, String manifest,
                           long size) {

    public static final int SCHEMA_VERSION = 2;

    /** @throws IllegalArgumentException if a field is missing or out of range */
    public ScopePointer {
        if (cluster == null || cluster.isEmpty() || version == null) {
            throw new IllegalArgumentException("scope pointer without cluster or version");
        }
        ScopeSnapshot.checkScope(scope);
        if (manifest == null || !Blobs.HEX_SHA256.matcher(manifest).matches()) {
            throw new IllegalArgumentException("scope pointer names no hex SHA-256 manifest");
        }
        Blobs.chunkCount(size); // bounds the size
    }

    /** The pointer to {@code body}, the encoding of {@code manifest}. */
    static ScopePointer of(SnapshotManifest manifest, byte[] body) {
        return new ScopePointer(manifest.cluster(), manifest.scope(), manifest.version(), manifest.commit(),
                ScopeSnapshot.hash(body), body.length);
    }

    /** JSON with a {@code schemaVersion}: the same pointer always encodes to the same bytes. */
    public byte[] encode() {
        return VersionedJson.encode(null, SCHEMA_VERSION, this);
    }

    /** @throws IllegalArgumentException if the bytes are not a pointer this version can read, or out of bounds */
    public static ScopePointer decode(byte[] bytes) {
        if (bytes.length > 64 * 1024) {
            throw new IllegalArgumentException("scope pointer of " + bytes.length + " bytes: at most 64 KiB");
        }
        try {
            JsonNode node = EventCodec.json().readTree(bytes);
            int version = node == null ? -1 : node.path("schemaVersion").asInt(-1);
            if (version != SCHEMA_VERSION) {
                throw new IllegalArgumentException("unreadable scope pointer: schemaVersion=" + version);
            }
            if (!node.path("size").canConvertToLong()) {
                throw new IllegalArgumentException("scope pointer without a size");
            }
            return EventCodec.json().treeToValue(node, ScopePointer.class);
        } catch (IOException e) {
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw iae; // the constructor's refusal, wrapped by Jackson
            }
            throw new IllegalArgumentException("unreadable scope pointer: " + e.getMessage(), e);
        }
    }
}
