package meshlog.reconciler.plan;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import meshlog.configstore.endpoints.DiscoveredService;
import meshlog.configstore.scope.ProxyScope;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.configstore.state.ConfigState;
import meshlog.reconciler.InconsistentSnapshotException;
import meshlog.reconciler.SnapshotComputer;
import meshlog.reconciler.xds.ResourceMemo;
import meshlog.reconciler.SnapshotResult;
import meshlog.reconciler.ir.TranslationNote;

/**
 * The reconciler's decision, pure: the folded config, the scopes distributors asked for and what was last published
 * per (cluster, scope) → what to publish now. {@code ReconcilerService} gathers the inputs from Kafka, calls this,
 * and carries the decisions out; everything it decides is here, tested without a broker.
 *
 * <p>A cluster is published when any of its scopes has a new version or commit, or a scope it served before is
 * no longer computed (the publication withdraws it); a cluster whose scopes are all as last published is not. A
 * cluster whose snapshot fails the consistency check is not published at all (its proxies keep the last good
 * snapshot) and is reported. A cluster the config no longer names is left as it was last published, and named.
 * Only the clusters of the shards this reconciler owns are computed ({@link Shards}).
 */
public final class PublishStep {

    /** What one scope was last published at. */
    public record PublishedScope(String version, String commit) {
    }

    /**
     * @param requested      scopes distributors reported, by cluster (beyond those the config implies)
     * @param lastPublished  by cluster, by scope id: what this process last published successfully
     * @param now            from the reconciler's clock: when these decisions are made
     * @param shards         which clusters this reconciler computes (the others are other reconcilers')
     * @param discovered     the service records of {@code meshlog.endpoints}, of every cluster (those of clusters
     *                       the mesh does not name are not used)
     */
    public record Inputs(ConfigState state, List<String> defaultClusters, Map<String, Set<ProxyScope>> requested,
                         Map<String, Map<String, PublishedScope>> lastPublished, Instant now, Shards shards,
                         List<DiscoveredService> discovered) {
        public Inputs {
            defaultClusters = List.copyOf(defaultClusters);
            requested = Map.copyOf(requested);
            lastPublished = Map.copyOf(lastPublished);
            discovered = List.copyOf(discovered);
        }

        /** Without discovered services. */
        public Inputs(ConfigState state, List<String> defaultClusters, Map<String, Set<ProxyScope>> requested,
                      Map<String, Map<String, PublishedScope>> lastPublished, Instant now, Shards shards) {
            this(state, defaultClusters, requested, lastPublished, now, shards, List.of());
        }

        /** A reconciler that computes every cluster. */
        public Inputs(ConfigState state, List<String> defaultClusters, Map<String, Set<ProxyScope>> requested,
                      Map<String, Map<String, PublishedScope>> lastPublished, Instant now) {
            this(state, defaultClusters, requested, lastPublished, now, Shards.ALL);
        }
    }

    /**
     * @param commit     the commit served (the pinned one while a pin holds); null when none was applied yet
     * @param publish    by cluster: the whole set of scopes to make the served set (the gRPC scope first)
     * @param withdrawn  by cluster being published: scope ids published before that the publication withdraws
     * @param left       clusters last published that the config no longer names: their scope ids, left as they are
     * @param failures   by cluster: why it is not published (an inconsistent snapshot: a bug, not a config error)
     * @param notes      what translation could not serve, over every cluster
     */
    public record Decisions(String commit, Instant at, Map<String, List<ScopeSnapshot>> publish,
                            Map<String, Set<String>> withdrawn, Map<String, Set<String>> left,
                            Map<String, String> failures, Set<TranslationNote> notes) {
        public Decisions {
            publish = Map.copyOf(publish);
            withdrawn = Map.copyOf(withdrawn);
            left = Map.copyOf(left);
            failures = Map.copyOf(failures);
            notes = Set.copyOf(notes);
        }

        /** What {@code cluster}'s scopes are at once its {@link #publish} entry is written. */
        public Map<String, PublishedScope> publishedScopes(String cluster) {
            Map<String, PublishedScope> out = new TreeMap<>();
            publish.getOrDefault(cluster, List.of())
                    .forEach(s -> out.put(s.scope(), new PublishedScope(s.version(), s.commit())));
            return out;
        }
    }

    /** Computes one cluster's scopes; {@link SnapshotComputer#computeAll} but in tests. */
    @FunctionalInterface
    public interface Computer {
        /** @throws InconsistentSnapshotException when a scope's snapshot fails the consistency check */
        List<SnapshotResult> computeAll(ConfigState state, String cluster, String commit, Set<ProxyScope> requested);
    }

    private PublishStep() {
    }

    public static Decisions decide(Inputs in) {
        // One memo for every cluster of this decision: what clusters share is built once (and let go after).
        ResourceMemo memo = new ResourceMemo();
        List<DiscoveredService> mesh = in.state().lastApplied() == null ? List.of()
                : SnapshotComputer.meshRecords(in.discovered(),
                        SnapshotComputer.clusters(in.state(), in.defaultClusters()));
        return decide(in, (state, cluster, commit, requested) ->
                SnapshotComputer.computeAll(state, mesh, cluster, commit, requested, memo));
    }

    public static Decisions decide(Inputs in, Computer computer) {
        ConfigState s = in.state();
        Map<String, Set<String>> left = new TreeMap<>();
        if (s.lastApplied() == null) { // an empty branch: nothing to serve
            return new Decisions(null, in.now(), Map.of(), Map.of(), left, Map.of(), Set.of());
        }
        String commit = s.servedCommit();
        List<String> clusters = SnapshotComputer.clusters(s, in.defaultClusters());
        Map<String, List<ScopeSnapshot>> publish = new TreeMap<>();
        Map<String, Set<String>> withdrawn = new TreeMap<>();
        Map<String, String> failures = new TreeMap<>();
        Set<TranslationNote> notes = new LinkedHashSet<>();
        for (String cluster : clusters) {
            if (!in.shards().owns(cluster)) {
                continue; // another reconciler's
            }
            List<SnapshotResult> results;
            try {
                results = computer.computeAll(s, cluster, commit, in.requested().getOrDefault(cluster, Set.of()));
            } catch (InconsistentSnapshotException e) {
                failures.put(cluster, e.getMessage());
                continue;
            }
            results.forEach(r -> notes.addAll(r.notes()));
            List<ScopeSnapshot> scopes = results.stream().map(SnapshotResult::snapshot).toList();
            Map<String, PublishedScope> before = in.lastPublished().getOrDefault(cluster, Map.of());
            Map<String, PublishedScope> after = new TreeMap<>();
            scopes.forEach(sc -> after.put(sc.scope(), new PublishedScope(sc.version(), sc.commit())));
            if (!after.equals(before)) {
                publish.put(cluster, scopes);
                Set<String> gone = new TreeSet<>(before.keySet());
                gone.removeAll(after.keySet());
                if (!gone.isEmpty()) {
                    withdrawn.put(cluster, gone);
                }
            }
        }
        in.lastPublished().forEach((cluster, scopes) -> {
            if (!clusters.contains(cluster)) {
                left.put(cluster, new TreeSet<>(scopes.keySet()));
            }
        });
        return new Decisions(commit, in.now(), publish, withdrawn, left, failures, notes);
    }
}
