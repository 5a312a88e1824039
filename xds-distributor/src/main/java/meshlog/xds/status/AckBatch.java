package meshlog.xds.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import meshlog.configstore.status.SnapshotAcks;

/**
 * Folds answers into one {@link SnapshotAcks} per scope version with new answers per {@link #drain} (pure, single
 * threaded: the batcher's thread). Each version remembers which proxies answered it, so a proxy reconnecting and
 * ACKing the same version again is not counted twice; a version nobody answered for {@link #IDLE} is forgotten, and
 * at most {@link #VERSIONS_MAX} are remembered (the least recently answered go first).
 */
final class AckBatch {

    static final int VERSIONS_MAX = 256;
    static final Duration IDLE = Duration.ofMinutes(10);

    private record Key(String scope, String version, String commit, Instant servedSince) {
    }

    private record NackKey(String typeUrl, String error) {
    }

    /** One version: who answered it so far, and what is new since the last drain. */
    private static final class Tally {
        final Set<String> acked = new HashSet<>();
        final Set<String> nacked = new HashSet<>();
        Instant touched;
        int newAcked;
        int newNacked;
        Instant firstAck;
        Instant lastAck;
        Instant lastPushedAck;
        final TreeMap<Long, Integer> pushedMs = new TreeMap<>();
        final Map<NackKey, SnapshotAcks.NackError> nacks = new LinkedHashMap<>();
        int unlisted;

        boolean dirty() {
            return newAcked > 0 || newNacked > 0;
        }

        void reset() {
            newAcked = 0;
            newNacked = 0;
            firstAck = null;
            lastAck = null;
            lastPushedAck = null;
            pushedMs.clear();
            nacks.clear();
            unlisted = 0;
        }
    }

    /** Access order: the least recently answered version first. */
    private final LinkedHashMap<Key, Tally> versions = new LinkedHashMap<>(16, 0.75f, true);

    void add(Answer a) {
        Tally t = versions.computeIfAbsent(new Key(a.scope(), a.version(), a.commit(), a.servedSince()),
                k -> new Tally());
        t.touched = a.time();
        if (a.acked()) {
            if (!t.acked.add(a.proxyId())) {
                return;
            }
            t.newAcked++;
            t.firstAck = t.firstAck == null || a.time().isBefore(t.firstAck) ? a.time() : t.firstAck;
            t.lastAck = t.lastAck == null || a.time().isAfter(t.lastAck) ? a.time() : t.lastAck;
            if (a.pushed()) {
                long ms = Math.max(0, Duration.between(a.servedSince(), a.time()).toMillis());
                t.pushedMs.merge(SnapshotAcks.bucket(ms), 1, Integer::sum);
                t.lastPushedAck = t.lastPushedAck == null || a.time().isAfter(t.lastPushedAck) ? a.time()
                        : t.lastPushedAck;
            }
        } else {
            if (!t.nacked.add(a.proxyId())) {
                return;
            }
            t.newNacked++;
            NackKey k = new NackKey(a.typeUrl(), SnapshotAcks.safeError(a.error()));
            SnapshotAcks.NackError seen = t.nacks.get(k);
            if (seen != null) {
                t.nacks.put(k, new SnapshotAcks.NackError(k.typeUrl(), k.error(), seen.proxies() + 1,
                        seen.proxyId()));
            } else if (t.nacks.size() < SnapshotAcks.NACK_ERRORS_MAX) {
                t.nacks.put(k, new SnapshotAcks.NackError(k.typeUrl(), k.error(), 1, a.proxyId()));
            } else {
                t.unlisted++;
            }
        }
    }

    /** The records of every version with new answers since the last drain; then forgets idle versions. */
    List<SnapshotAcks> drain(String cluster, String distributor, Instant now) {
        List<SnapshotAcks> out = new ArrayList<>();
        versions.forEach((k, t) -> {
            if (t.dirty()) {
                out.add(new SnapshotAcks(cluster, k.scope(), k.version(), k.commit(), distributor, k.servedSince(),
                        t.newAcked, t.newNacked, t.firstAck, t.lastAck, t.pushedMs, t.lastPushedAck,
                        List.copyOf(t.nacks.values()), t.unlisted));
                t.reset();
            }
        });
        Instant idleBefore = now.minus(IDLE);
        for (Iterator<Tally> it = versions.values().iterator(); it.hasNext(); ) {
            Tally t = it.next();
            if (versions.size() > VERSIONS_MAX || t.touched.isBefore(idleBefore)) {
                it.remove();
            }
        }
        return out;
    }

    /** Versions remembered now (a bound the tests check). */
    int remembered() {
        return versions.size();
    }
}
