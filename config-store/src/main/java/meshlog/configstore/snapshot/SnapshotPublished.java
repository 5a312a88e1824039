package meshlog.configstore.snapshot;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.event.VersionedJson;

/**
 * The audit record of one publication of a cluster's snapshots ({@code meshlog.publications}, kept forever): every
 * scope the cluster serves from then on, each with its version, the commit it was computed from and the hash of its
 * manifest body, which lists the SHA-256 of every resource. Manifest and resources stay readable by hash in
 * {@code meshlog.snapshot-history} (never tombstoned), so what a cluster was served can be shown exactly, long
 * after the compacted snapshots topic has forgotten it.
 *
 * @param time when the publisher wrote it
 * @param scopes every scope served after this publication, by scope id
 * @param changed the scopes this publication gave a new version
 * @param withdrawn the scopes it stopped serving
 */
public record SnapshotPublished(String cluster, Instant time, Map<String, Scope> scopes, List<String> changed,
                                List<String> withdrawn) {

    public static final String TYPE = "SnapshotPublished";
    public static final int SCHEMA_VERSION = 1;

    /** One served scope: its version, its commit (or null) and its manifest body's hash. */
    public record Scope(String version, String commit, String manifest) {
    }

    public SnapshotPublished {
        scopes = Collections.unmodifiableMap(new TreeMap<>(scopes));
        changed = List.copyOf(changed);
        withdrawn = List.copyOf(withdrawn);
    }

    /** The record of a publication from the holdings it leaves. */
    static SnapshotPublished of(String cluster, Instant time, SnapshotHoldings before, SnapshotHoldings after) {
        Map<String, Scope> scopes = new TreeMap<>();
        after.pointers().forEach((id, p) -> scopes.put(id, new Scope(p.version(), p.commit(), p.manifest())));
        List<String> changed = after.pointers().entrySet().stream()
                .filter(e -> !e.getValue().equals(before.pointers().get(e.getKey()))).map(Map.Entry::getKey).toList();
        List<String> withdrawn = before.pointers().keySet().stream().filter(s -> !after.pointers().containsKey(s))
                .toList();
        return new SnapshotPublished(cluster, time, scopes, changed, withdrawn);
    }

    public byte[] encode() {
        return VersionedJson.encode(TYPE, SCHEMA_VERSION, this);
    }

    /** @throws IllegalArgumentException for a record of another type or a newer schema */
    public static SnapshotPublished decode(byte[] bytes) {
        return VersionedJson.decode(bytes, TYPE, SCHEMA_VERSION, SnapshotPublished.class, "publication");
    }
}
