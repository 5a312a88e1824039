package meshlog.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import meshlog.configstore.snapshot.SnapshotHistory;
import meshlog.configstore.snapshot.SnapshotPublished;
import meshlog.configstore.status.SnapshotAck;

/**
 * What each commit's snapshots became in each cluster (pure): the scope versions it produced, when they were
 * published, how many proxies ACKed and NACKed them, and the time from the commit to the proxies' ACKs.
 *
 * <p>Definitions (docs/operations.md). A commit <em>produced</em> a scope version when a publication of the cluster
 * changed that scope to a version computed from the commit. An ACK or NACK record counts for the commit the
 * distributor was serving the version for (the record's {@code commit}). A proxy is counted once per commit and
 * cluster: ACKed if it ACKed any version the commit produced there, NACKed if it NACKed one. Its <em>latency</em> is
 * its earliest such ACK minus the time the log recorded the commit (the broker's timestamp of its
 * {@code CommitApplied}); only proxies whose stream was open before the version was published are measured (the
 * others connected later and found the version, nobody pushed it to them). p50 and p99 are nearest-rank
 * percentiles of the measured proxies; max is the last ACK.
 */
final class AckStats {

    /** Per commit and cluster. */
    record ClusterAcks(String cluster, Instant published, List<ScopeVersion> snapshots, int proxiesAcked,
                       int proxiesNacked, int proxiesMeasured, Latency commitToAckMs, List<Nack> nacks) {
    }

    /** One scope version a commit produced, with how many proxies answered it. */
    record ScopeVersion(String scope, String version, Instant published, int acked, int nacked) {
    }

    /** Milliseconds from the commit's log time to the proxies' ACKs: nearest-rank p50, p99, and the last. */
    record Latency(long p50, long p99, long max) {
    }

    /** @param error as the proxy sent it, escaped and cut by the distributor */
    record Nack(String proxyId, String scope, String version, String typeUrl, String error, Instant time) {
    }

    /** How many NACKs are listed per commit and cluster; the rest are counted. */
    static final int NACKS_LISTED = 20;

    private final Map<String, Map<String, List<ScopeVersion>>> produced = new HashMap<>(); // sha -> cluster -> ...
    private final Map<String, Map<String, List<SnapshotAck>>> answers = new HashMap<>();   // sha -> cluster -> ...

    AckStats(List<SnapshotHistory.Logged> publications, List<SnapshotAck> acks) {
        Set<String> seen = new HashSet<>();
        for (SnapshotHistory.Logged l : publications) {
            SnapshotPublished p = l.publication();
            for (String scope : p.changed()) {
                SnapshotPublished.Scope s = p.scopes().get(scope);
                if (s != null && s.commit() != null && seen.add(s.commit() + "\u0000" + p.cluster() + "\u0000" + scope
                        + "\u0000" + s.version())) {
                    produced.computeIfAbsent(s.commit(), c -> new TreeMap<>())
                            .computeIfAbsent(p.cluster(), c -> new ArrayList<>())
                            .add(new ScopeVersion(scope, s.version(), p.time(), 0, 0));
                }
            }
        }
        for (SnapshotAck a : acks) {
            if (a.commit() != null) {
                answers.computeIfAbsent(a.commit(), c -> new HashMap<>())
                        .computeIfAbsent(a.cluster(), c -> new ArrayList<>()).add(a);
            }
        }
    }

    /** The clusters a commit produced snapshots in (all, or only {@code cluster}), by cluster name. */
    List<ClusterAcks> of(String sha, Instant recorded, String cluster) {
        List<ClusterAcks> out = new ArrayList<>();
        produced.getOrDefault(sha, Map.of()).forEach((c, versions) -> {
            if (cluster == null || cluster.equals(c)) {
                out.add(cluster(c, recorded, versions, answers.getOrDefault(sha, Map.of()).getOrDefault(c, List.of())));
            }
        });
        return out;
    }

    private static ClusterAcks cluster(String cluster, Instant recorded, List<ScopeVersion> versions,
                                       List<SnapshotAck> acks) {
        Map<String, ScopeVersion> byKey = new LinkedHashMap<>();
        versions.forEach(v -> byKey.put(v.scope() + "\u0000" + v.version(), v));
        Map<String, Set<String>> ackedBy = new HashMap<>();
        Map<String, Set<String>> nackedBy = new HashMap<>();
        Map<String, Instant> firstAck = new TreeMap<>();  // measured proxies only
        Set<String> acked = new HashSet<>();
        Set<String> nacked = new HashSet<>();
        List<Nack> nacks = new ArrayList<>();
        for (SnapshotAck a : acks) {
            String key = a.scope() + "\u0000" + a.version();
            ScopeVersion v = byKey.get(key);
            if (v == null) {
                continue; // a version of this commit's that this cluster never published as changed
            }
            if (a.acked()) {
                acked.add(a.proxyId());
                ackedBy.computeIfAbsent(key, k -> new HashSet<>()).add(a.proxyId());
                if (!a.connected().isAfter(v.published())) {
                    firstAck.merge(a.proxyId(), a.time(), (x, y) -> x.isBefore(y) ? x : y);
                }
            } else {
                nacked.add(a.proxyId());
                if (nackedBy.computeIfAbsent(key, k -> new HashSet<>()).add(a.proxyId())
                        && nacks.size() < NACKS_LISTED) {
                    nacks.add(new Nack(a.proxyId(), a.scope(), a.version(), a.typeUrl(), a.error(), a.time()));
                }
            }
        }
        List<ScopeVersion> counted = byKey.entrySet().stream().map(e -> new ScopeVersion(e.getValue().scope(),
                e.getValue().version(), e.getValue().published(), ackedBy.getOrDefault(e.getKey(), Set.of()).size(),
                nackedBy.getOrDefault(e.getKey(), Set.of()).size())).sorted(Comparator.comparing(ScopeVersion::scope))
                .toList();
        Instant published = versions.stream().map(ScopeVersion::published).min(Comparator.naturalOrder()).orElse(null);
        List<Long> millis = firstAck.values().stream().map(t -> Duration.between(recorded, t).toMillis()).sorted()
                .toList();
        nacks.sort(Comparator.comparing(Nack::time).thenComparing(Nack::proxyId));
        return new ClusterAcks(cluster, published, counted, acked.size(), nacked.size(), millis.size(),
                latency(millis), nacks);
    }

    /** Nearest rank: the smallest sample with at least q of all samples at or below it; null without samples. */
    static Latency latency(List<Long> sorted) {
        if (sorted.isEmpty()) {
            return null;
        }
        return new Latency(rank(sorted, 0.50), rank(sorted, 0.99), sorted.get(sorted.size() - 1));
    }

    private static long rank(List<Long> sorted, double q) {
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, i));
    }
}
