package meshlog.configstore.snapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Rebuilds scope snapshots from {@code meshlog.snapshots} records fed in topic order. It holds the latest value of
 * every blob chunk, each blob once per cluster however many scopes list it, and returns a scope's snapshot only when
 * its pointer's manifest body and every resource the body lists are held whole, with the listed hashes. A pointer
 * whose snapshot is not complete yet waits (the newest one per scope) until later records complete it; a partial
 * snapshot is never returned. A returned snapshot's bytes are the held blobs themselves, not copies.
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
     * @return the snapshots this record completed (a blob can complete several scopes), in scope order
     * @throws IllegalArgumentException for a malformed key, pointer or chunk, or a pointer beyond the bounds (256
     *     MiB, 1,024 chunks): the state is then unchanged. Also when the record completes a manifest body that
     *     cannot be read or does not match its pointer, and so completes nothing: that scope is then held as
     *     unservable until a new pointer replaces it.
     */
    public List<ScopeSnapshot> accept(String key, byte[] value) {
        SnapshotKey k = SnapshotKey.parse(key);
        if (!wanted.test(k.cluster())) {
            return List.of();
        }
        if (k instanceof SnapshotKey.Pointer p) {
            if (value == null) {
                ClusterRecords c = clusters.get(p.cluster());
                if (c != null) {
                    c.withdraw(p.scope());
                    dropIfEmpty(c);
                }
                return List.of();
            }
            ScopePointer pointer = ScopePointer.decode(value);
            if (!pointer.cluster().equals(p.cluster()) || !pointer.scope().equals(p.scope())) {
                throw new IllegalArgumentException("pointer of cluster " + pointer.cluster() + " scope "
                        + pointer.scope() + " under key " + SnapshotKey.shown(key));
            }
            return cluster(p.cluster()).pointer(pointer);
        } else if (k instanceof SnapshotKey.Blob b) {
            if (value != null) {
                checkChunkLength(b, value.length);
            }
            ClusterRecords c = value == null ? clusters.get(b.cluster()) : cluster(b.cluster());
            if (c == null) {
                return List.of();
            }
            List<ScopeSnapshot> done = c.chunk(b, value);
            dropIfEmpty(c);
            return done;
        } else {
            throw new AssertionError(k);
        }
    }

    /**
     * What is held for {@code cluster} now, by reference (empty when nothing is). A pointer whose body could not be
     * read is reported with version {@code ""}, so a publisher replaces it. A publisher diffs against this to write
     * only what readers do not already hold.
     */
    public SnapshotHoldings holdings(String cluster) {
        ClusterRecords c = clusters.get(cluster);
        return c == null ? SnapshotHoldings.empty(cluster) : c.holdings();
    }

    /** The clusters something is held for. */
    Set<String> clusters() {
        return Set.copyOf(clusters.keySet());
    }

    /** Every chunk is {@link Blobs#CHUNK} long but the last, so a blob's chunks are exactly its bytes cut evenly. */
    private static void checkChunkLength(SnapshotKey.Blob b, int length) {
        boolean last = b.index() == b.count() - 1;
        boolean ok = last ? length <= Blobs.CHUNK && (length > 0 || b.count() == 1) : length == Blobs.CHUNK;
        if (!ok) {
            throw new IllegalArgumentException("blob chunk " + b.index() + " of " + b.count() + " has " + length
                    + " bytes: chunks are " + Blobs.CHUNK + " bytes, the last 1 to " + Blobs.CHUNK);
        }
    }

    private ClusterRecords cluster(String name) {
        return clusters.computeIfAbsent(name, ClusterRecords::new);
    }

    private void dropIfEmpty(ClusterRecords c) {
        if (c.isEmpty()) {
            clusters.remove(c.cluster);
        }
    }

    /** One scope's pointer and, while its snapshot is incomplete, what it waits for. */
    private static final class Scope {
        final ScopePointer pointer;
        /** The decoded body while waiting for its resources; null before the body is held and once served. */
        SnapshotManifest manifest;
        /** Hashes listed (body included) that are not held whole. */
        final Set<String> missing = new HashSet<>();
        boolean pending = true;
        boolean unreadable;

        Scope(ScopePointer pointer) {
            this.pointer = pointer;
        }

        /** Every blob this scope's snapshot needs that is known yet: the body, then what it lists. */
        Set<String> needs() {
            Set<String> out = new HashSet<>();
            out.add(pointer.manifest());
            if (manifest != null) {
                manifest.resources().values().forEach(byName -> out.addAll(byName.values()));
            }
            return out;
        }
    }

    /** One cluster's blobs and scope pointers. */
    private static final class ClusterRecords {
        final String cluster;
        final Map<String, ChunkedBlob> blobs = new HashMap<>();
        final Map<String, Scope> scopes = new HashMap<>();
        /** Hash → the pending scopes that need that blob. */
        final Map<String, Set<String>> waiting = new HashMap<>();
        final List<String> problems = new ArrayList<>();

        ClusterRecords(String cluster) {
            this.cluster = cluster;
        }

        boolean isEmpty() {
            return blobs.isEmpty() && scopes.isEmpty();
        }

        List<ScopeSnapshot> pointer(ScopePointer p) {
            withdraw(p.scope());
            Scope s = new Scope(p);
            scopes.put(p.scope(), s);
            watch(s, p.manifest());
            List<ScopeSnapshot> out = new ArrayList<>(1);
            if (held(p.manifest())) {
                open(s, out);
            } else {
                s.missing.add(p.manifest());
            }
            return finish(out);
        }

        List<ScopeSnapshot> chunk(SnapshotKey.Blob k, byte[] value) {
            ChunkedBlob b = blobs.get(k.hash());
            boolean wasComplete = b != null && b.complete();
            if (b != null && b.count() != k.count()) {
                if (value == null) {
                    return List.of(); // a tombstone of chunks not held
                }
                blobs.remove(k.hash()); // rewritten in another cut: the new chunks replace the old
                b = null;
            }
            if (value == null) {
                if (b != null) {
                    b.remove(k.index());
                }
            } else {
                if (b == null) {
                    b = new ChunkedBlob(k.hash(), k.count());
                    blobs.put(k.hash(), b);
                }
                b.put(k.index(), value);
            }
            if (b != null && b.isEmpty()) {
                blobs.remove(k.hash());
            }
            boolean nowComplete = held(k.hash());
            List<ScopeSnapshot> out = new ArrayList<>(0);
            if (wasComplete && !nowComplete) {
                waiters(k.hash()).forEach(s -> s.missing.add(k.hash()));
            } else if (!wasComplete && nowComplete) {
                for (Scope s : waiters(k.hash())) {
                    s.missing.remove(k.hash());
                    if (s.manifest == null && k.hash().equals(s.pointer.manifest())) {
                        open(s, out);
                    } else if (s.missing.isEmpty()) {
                        serve(s, out);
                    }
                }
            }
            return finish(out);
        }

        void withdraw(String scope) {
            Scope s = scopes.remove(scope);
            if (s != null) {
                unwatch(s);
            }
        }

        SnapshotHoldings holdings() {
            Map<String, ScopePointer> pointers = new TreeMap<>();
            scopes.forEach((id, s) -> {
                ScopePointer p = s.pointer;
                pointers.put(id, s.unreadable
                        ? new ScopePointer(p.cluster(), p.scope(), "", p.commit(), p.manifest(), p.size()) : p);
            });
            Map<String, SnapshotHoldings.HeldBlob> held = new TreeMap<>();
            blobs.forEach((hash, b) -> held.put(hash,
                    new SnapshotHoldings.HeldBlob(b.count(), b.presentChunks(), b.complete())));
            return new SnapshotHoldings(cluster, pointers, held);
        }

        /** The body of {@code s} is held: read it, then serve the scope or wait for what it lists. */
        private void open(Scope s, List<ScopeSnapshot> out) {
            try {
                s.manifest = readBody(s.pointer, blobs.get(s.pointer.manifest()).bytes());
            } catch (IllegalArgumentException e) {
                s.unreadable = true;
                s.pending = false;
                unwatch(s);
                problems.add("scope " + s.pointer.scope() + " of cluster " + cluster + " is not served: "
                        + e.getMessage());
                return;
            }
            s.manifest.resources().values().forEach(byName -> byName.values().forEach(hash -> {
                watch(s, hash);
                if (!held(hash)) {
                    s.missing.add(hash);
                }
            }));
            if (s.missing.isEmpty()) {
                serve(s, out);
            }
        }

        private static SnapshotManifest readBody(ScopePointer p, byte[] body) {
            if (body.length != p.size()) {
                throw new IllegalArgumentException("its manifest has " + body.length + " bytes, the pointer says "
                        + p.size());
            }
            SnapshotManifest m = SnapshotManifest.decode(body);
            if (!m.cluster().equals(p.cluster()) || !m.scope().equals(p.scope()) || !m.version().equals(p.version())
                    || !Objects.equals(m.commit(), p.commit())) {
                throw new IllegalArgumentException("its manifest is of another scope or version than the pointer");
            }
            return m;
        }

        /** Every blob is held whole: the snapshot, its bytes the held ones. */
        private void serve(Scope s, List<ScopeSnapshot> out) {
            Map<String, Map<String, byte[]>> resources = new TreeMap<>();
            for (Map.Entry<String, Map<String, String>> t : s.manifest.resources().entrySet()) {
                Map<String, byte[]> byName = new TreeMap<>();
                for (Map.Entry<String, String> n : t.getValue().entrySet()) {
                    if (!held(n.getValue())) {
                        throw new IllegalStateException("scope " + s.pointer.scope() + " served while missing "
                                + n.getValue()); // the missing set says otherwise: a bug, never a partial snapshot
                    }
                    byName.put(n.getKey(), blobs.get(n.getValue()).bytes());
                }
                resources.put(t.getKey(), byName);
            }
            unwatch(s);
            s.pending = false;
            s.manifest = null;
            ScopePointer p = s.pointer;
            out.add(new ScopeSnapshot(cluster, p.scope(), p.version(), p.commit(), resources));
        }

        private boolean held(String hash) {
            ChunkedBlob b = blobs.get(hash);
            return b != null && b.complete();
        }

        private void watch(Scope s, String hash) {
            waiting.computeIfAbsent(hash, h -> new HashSet<>(2)).add(s.pointer.scope());
        }

        private void unwatch(Scope s) {
            for (String hash : s.needs()) {
                Set<String> w = waiting.get(hash);
                if (w != null && w.remove(s.pointer.scope()) && w.isEmpty()) {
                    waiting.remove(hash);
                }
            }
        }

        /** The pending scopes waiting for {@code hash}, in scope order. */
        private List<Scope> waiters(String hash) {
            return waiting.getOrDefault(hash, Set.of()).stream().sorted().map(scopes::get).toList();
        }

        /** The completed snapshots, in scope order; or a refusal if an unreadable body completed nothing. */
        private List<ScopeSnapshot> finish(List<ScopeSnapshot> out) {
            List<String> found = List.copyOf(problems);
            problems.clear();
            if (!found.isEmpty() && out.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", found));
            }
            out.sort(Comparator.comparing(ScopeSnapshot::scope));
            return List.copyOf(out);
        }
    }
}
