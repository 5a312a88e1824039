package meshlog.configstore.snapshot;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Rebuilds cluster snapshots from {@code meshlog.snapshots} records fed in topic order. It holds the latest value of
 * every resource key and returns a snapshot only when a manifest is matched in full: every resource the manifest
 * lists is held, with the listed hash. A manifest that is not yet matched waits (the newest one per cluster) until
 * later resource records complete it; a partial snapshot is never returned.
 *
 * <p>Pure and single-threaded: the Kafka reading is the caller's.
 */
public final class SnapshotAssembler {

    private final Predicate<String> wanted;
    private final Map<String, ClusterRecords> clusters = new HashMap<>();

    /** Assembles every cluster. */
    public SnapshotAssembler() {
        this(c -> true);
    }

    /** Assembles only clusters {@code wanted} accepts; records of others are dropped unread. */
    public SnapshotAssembler(Predicate<String> wanted) {
        this.wanted = wanted;
    }

    /**
     * Takes the next record of the topic.
     *
     * @param value the record value; null for a tombstone
     * @return the snapshot this record completed, if any
     * @throws IllegalArgumentException for a malformed key or manifest (the assembler's state is unchanged)
     */
    public Optional<ClusterSnapshot> accept(String key, byte[] value) {
        SnapshotKey k = SnapshotKey.parse(key);
        if (!wanted.test(k.cluster())) {
            return Optional.empty();
        }
        if (k instanceof SnapshotKey.Manifest) {
            if (value == null) {
                clusters.remove(k.cluster()); // the whole cluster was withdrawn
                return Optional.empty();
            }
            SnapshotManifest m = SnapshotManifest.decode(value);
            if (!m.cluster().equals(k.cluster())) {
                throw new IllegalArgumentException("manifest of cluster " + m.cluster() + " under key " + key);
            }
            return Optional.ofNullable(cluster(k.cluster()).manifest(m));
        }
        SnapshotKey.Resource r = (SnapshotKey.Resource) k;
        return Optional.ofNullable(cluster(r.cluster()).resource(r.typeUrl(), r.name(), value));
    }

    /**
     * Everything held for {@code cluster} now, as a snapshot: its version is the last manifest's if the held
     * resources are exactly that manifest's, else empty (unknown). Null when nothing is held. A publisher diffs
     * against this to write only what readers do not already hold.
     */
    public ClusterSnapshot holdings(String cluster) {
        ClusterRecords c = clusters.get(cluster);
        if (c == null) {
            return null;
        }
        Map<String, Map<String, byte[]>> all = new TreeMap<>();
        c.held.forEach((type, byName) -> byName.forEach((name, h) ->
                all.computeIfAbsent(type, t -> new TreeMap<>()).put(name, h.bytes())));
        SnapshotManifest m = c.lastManifest;
        boolean exact = m != null && c.matchesExactly(m);
        return new ClusterSnapshot(cluster, exact ? m.version() : "", m == null ? null : m.commit(), all);
    }

    private ClusterRecords cluster(String name) {
        return clusters.computeIfAbsent(name, ClusterRecords::new);
    }

    private record Held(byte[] bytes, String hash) {
    }

    private record Ref(String typeUrl, String name) {
    }

    /** One cluster's held resources and its manifest waiting for them, if any. */
    private static final class ClusterRecords {
        final String cluster;
        final Map<String, Map<String, Held>> held = new HashMap<>();
        SnapshotManifest lastManifest;
        SnapshotManifest pending;
        Set<Ref> missing = Set.of();

        ClusterRecords(String cluster) {
            this.cluster = cluster;
        }

        ClusterSnapshot manifest(SnapshotManifest m) {
            lastManifest = m;
            Set<Ref> unmatched = new HashSet<>();
            m.resources().forEach((type, byName) -> byName.forEach((name, hash) -> {
                if (!hash.equals(heldHash(type, name))) {
                    unmatched.add(new Ref(type, name));
                }
            }));
            pending = m;
            missing = unmatched;
            return completeIfMatched();
        }

        ClusterSnapshot resource(String type, String name, byte[] value) {
            if (value == null) {
                Map<String, Held> byName = held.get(type);
                if (byName != null) {
                    byName.remove(name);
                    if (byName.isEmpty()) {
                        held.remove(type);
                    }
                }
            } else {
                held.computeIfAbsent(type, t -> new HashMap<>()).put(name,
                        new Held(value, ClusterSnapshot.hash(value)));
            }
            if (pending == null) {
                return null;
            }
            String expected = pending.hashOf(type, name);
            if (expected != null) {
                if (expected.equals(heldHash(type, name))) {
                    missing.remove(new Ref(type, name));
                } else {
                    missing.add(new Ref(type, name));
                }
            }
            return completeIfMatched();
        }

        /** True when the held resources are exactly {@code m}'s: the same names, the same hashes. */
        boolean matchesExactly(SnapshotManifest m) {
            if (m.resourceCount() != held.values().stream().mapToInt(Map::size).sum()) {
                return false;
            }
            for (Map.Entry<String, Map<String, String>> t : m.resources().entrySet()) {
                for (Map.Entry<String, String> n : t.getValue().entrySet()) {
                    if (!n.getValue().equals(heldHash(t.getKey(), n.getKey()))) {
                        return false;
                    }
                }
            }
            return true;
        }

        private String heldHash(String type, String name) {
            Held h = held.getOrDefault(type, Map.of()).get(name);
            return h == null ? null : h.hash();
        }

        private ClusterSnapshot completeIfMatched() {
            if (pending == null || !missing.isEmpty()) {
                return null;
            }
            Map<String, Map<String, byte[]>> resources = new TreeMap<>();
            pending.resources().forEach((type, byName) -> byName.keySet().forEach(name ->
                    resources.computeIfAbsent(type, t -> new TreeMap<>()).put(name, held.get(type).get(name).bytes())));
            ClusterSnapshot s = new ClusterSnapshot(cluster, pending.version(), pending.commit(), resources);
            pending = null;
            missing = Set.of();
            return s;
        }
    }
}
