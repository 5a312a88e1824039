package meshlog.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.snapshot.SnapshotHistory;
import meshlog.configstore.snapshot.SnapshotPublished;
import meshlog.configstore.status.SnapshotAcks;

/**
 * What each commit's snapshots became in each cluster (pure): the scope versions it produced, when they were
 * published, how many proxies ACKed and NACKed each, and the time from the commit to the proxies' ACKs. The JSON
 * of {@link ClusterAcks} is documented field by field in docs/operations.md ("ACKs and NACKs per commit").
 *
 * <p>A commit <em>produced</em> a scope version when a publication of the cluster gave that scope a version of other
 * content than before, computed from the commit. The distributors' {@link SnapshotAcks} records of that (scope,
 * version, commit) are summed. Latency counts only the first version the commit produced per scope (a later one of
 * the same commit is an endpoint change) and only proxies that were pushed it (their stream was open before the
 * distributor served it): each one's ACK minus the time the log recorded the commit. p50 and p99 are nearest-rank
 * percentiles over those proxies, from {@link SnapshotAcks#bucket} buckets (exact below 100 ms, at most 10 % low
 * above); max is exact: the last ACK.
 */
final class AckStats {

    /** Per commit and cluster; field order is the JSON's. */
    record ClusterAcks(String cluster, Instant published, List<ScopeVersion> versions, int acks, int nacks,
                       int proxiesMeasured, Latency commitToAckMs, List<Nack> nackErrors, int nackErrorsUnlisted) {
    }

    /** One scope version a commit produced, with how many proxies answered it. */
    record ScopeVersion(String scope, String version, Instant published, int proxiesAcked, int proxiesNacked) {
    }

    /** Milliseconds from the commit's log time to the proxies' ACKs: nearest-rank p50, p99, and the last. */
    record Latency(long p50, long p99, long max) {
    }

    /** A distinct rejection: which version and type, the proxy's error (escaped and cut), how many proxies. */
    record Nack(String scope, String version, String typeUrl, String error, int proxies, String proxyId) {
    }

    /** How many distinct NACK errors are listed per commit and cluster; the rest are counted. */
    static final int NACKS_LISTED = 20;

    private record Produced(String scope, String version, Instant published, boolean first) {
    }

    private record VersionKey(String cluster, String scope, String version, String commit) {
    }

    private final Map<String, Map<String, List<Produced>>> produced = new HashMap<>(); // sha -> cluster -> ...
    private final Map<VersionKey, List<SnapshotAcks>> answers = new HashMap<>();

    AckStats(List<SnapshotHistory.Logged> publications, List<SnapshotAcks> records) {
        Map<String, String> current = new HashMap<>(); // cluster/scope -> version published last
        Map<String, Boolean> seen = new HashMap<>();    // sha/cluster/scope -> a version produced already
        for (SnapshotHistory.Logged l : publications) {
            SnapshotPublished p = l.publication();
            for (String scope : p.changed()) {
                SnapshotPublished.Scope s = p.scopes().get(scope);
                String before = current.put(p.cluster() + "/" + scope, s == null ? null : s.version());
                if (s == null || s.commit() == null || s.version().equals(before)) {
                    continue; // only the commit label moved: no proxy was sent anything
                }
                boolean first = seen.putIfAbsent(s.commit() + "/" + p.cluster() + "/" + scope, true) == null;
                produced.computeIfAbsent(s.commit(), c -> new TreeMap<>())
                        .computeIfAbsent(p.cluster(), c -> new ArrayList<>())
                        .add(new Produced(scope, s.version(), p.time(), first));
            }
            p.withdrawn().forEach(scope -> current.remove(p.cluster() + "/" + scope));
        }
        for (SnapshotAcks r : records) {
            answers.computeIfAbsent(new VersionKey(r.cluster(), r.scope(), r.version(), r.commit()),
                    k -> new ArrayList<>()).add(r);
        }
    }

    /** The clusters a commit produced versions in (all, or only {@code cluster}), by cluster name. */
    List<ClusterAcks> of(String sha, Instant recorded, String cluster) {
        List<ClusterAcks> out = new ArrayList<>();
        produced.getOrDefault(sha, Map.of()).forEach((c, versions) -> {
            if (cluster == null || cluster.equals(c)) {
                out.add(cluster(c, sha, recorded, versions));
            }
        });
        return out;
    }

    private ClusterAcks cluster(String cluster, String sha, Instant recorded, List<Produced> versions) {
        List<ScopeVersion> shown = new ArrayList<>();
        List<Long> samples = new ArrayList<>();
        Long max = null;
        Map<List<String>, Nack> nacks = new LinkedHashMap<>();
        int acks = 0;
        int nacked = 0;
        int unlisted = 0;
        for (Produced v : versions) {
            int a = 0;
            int n = 0;
            for (SnapshotAcks r : answers.getOrDefault(new VersionKey(cluster, v.scope(), v.version(), sha), List.of())) {
                a += r.acked();
                n += r.nacked();
                unlisted += r.nackErrorsUnlisted();
                if (v.first()) {
                    long offset = Duration.between(recorded, r.servedSince()).toMillis();
                    r.pushedAckMs().forEach((ms, count) -> {
                        for (int i = 0; i < count; i++) {
                            samples.add(offset + ms);
                        }
                    });
                    if (r.lastPushedAck() != null) {
                        long last = Duration.between(recorded, r.lastPushedAck()).toMillis();
                        max = max == null ? last : Math.max(max, last);
                    }
                }
                for (SnapshotAcks.NackError e : r.nacks()) {
                    nacks.merge(List.of(v.scope(), v.version(), e.typeUrl(), e.error()),
                            new Nack(v.scope(), v.version(), e.typeUrl(), e.error(), e.proxies(), e.proxyId()),
                            (x, y) -> new Nack(x.scope(), x.version(), x.typeUrl(), x.error(),
                                    x.proxies() + y.proxies(), x.proxyId()));
                }
            }
            shown.add(new ScopeVersion(v.scope(), v.version(), v.published(), a, n));
            acks += a;
            nacked += n;
        }
        List<Nack> listed = nacks.values().stream().sorted(Comparator.comparing(Nack::scope)
                .thenComparing(Nack::version).thenComparing(Nack::typeUrl).thenComparing(Nack::error)).toList();
        if (listed.size() > NACKS_LISTED) {
            unlisted += listed.subList(NACKS_LISTED, listed.size()).stream().mapToInt(Nack::proxies).sum();
            listed = listed.subList(0, NACKS_LISTED);
        }
        shown.sort(Comparator.comparing(ScopeVersion::published).thenComparing(ScopeVersion::scope));
        Instant published = shown.stream().map(ScopeVersion::published).min(Comparator.naturalOrder()).orElse(null);
        samples.sort(Comparator.naturalOrder());
        return new ClusterAcks(cluster, published, shown, acks, nacked, samples.size(), latency(samples, max),
                List.copyOf(listed), unlisted);
    }

    /**
     * Nearest rank over {@code sorted} (the smallest sample with at least q of all at or below it), capped by the
     * exact {@code max}; null without samples.
     */
    static Latency latency(List<Long> sorted, Long max) {
        if (sorted.isEmpty()) {
            return null;
        }
        long last = max == null ? sorted.get(sorted.size() - 1) : max;
        return new Latency(Math.min(rank(sorted, 0.50), last), Math.min(rank(sorted, 0.99), last), last);
    }

    private static long rank(List<Long> sorted, double q) {
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, i));
    }
}
