package meshlog.reconciler;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import meshlog.configstore.scope.ProxyScope;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.configstore.state.ConfigState;
import meshlog.configstore.scope.ScopeRequest;
import meshlog.gatewayapi.model.MeshCluster;
import meshlog.gatewayapi.model.WorkloadEntry;
import meshlog.reconciler.ir.MeshIr;
import meshlog.reconciler.translate.MeshTranslator;
import meshlog.reconciler.translate.ScopeLabels;
import meshlog.reconciler.xds.ResourceMemo;
import meshlog.reconciler.xds.XdsResources;
import meshlog.xdscheck.SnapshotCheck;

/**
 * The reconciler's pure core: served config to the xDS snapshot of one cluster, for proxyless gRPC clients.
 *
 * <p>{@code ConfigState → IR (translate) → Envoy protos (xds) → consistency check → ScopeSnapshot}. Pure and
 * deterministic: no I/O, no clock; the same state gives byte-identical resources and the same version on every
 * JVM. The version is {@link ScopeSnapshot#versionOf} of the resources, so it does not depend on the commit.
 *
 * <p>What is served, per service host and port of every ServiceEntry: an API listener and a route configuration
 * named {@code <host>:<port>}, a cluster {@code outbound|<port>||<host>} plus one per DestinationRule subset
 * ({@code outbound|<port>|<subset>|<host>}), and an endpoint assignment per cluster. The semantics, and where they
 * differ from Istio, are documented on the translators of package {@code meshlog.reconciler.translate}.
 */
public final class SnapshotComputer {

    /** The scope every proxyless gRPC client of a cluster is served (one scope per cluster, for now). */
    public static final String GRPC_SCOPE = "grpc";

    private SnapshotComputer() {
    }

    /**
     * @param cluster the cluster whose clients the snapshot is for; its {@code Cluster} object's locality (if any)
     *                sets the endpoints' failover priorities
     * @param commit the commit the state was built from, recorded in the snapshot (not part of the version)
     * @throws InconsistentSnapshotException on an internal inconsistency; publish nothing, keep the last good one
     */
    public static ScopeSnapshot compute(ConfigState state, String cluster, String commit) {
        return computeWithNotes(state, cluster, commit).snapshot();
    }

    /** Like {@link #compute}, also returning what translation skipped and why. */
    public static SnapshotResult computeWithNotes(ConfigState state, String cluster, String commit) {
        return computeWithNotes(state, cluster, ProxyScope.GRPC, commit);
    }

    /** The snapshot of one proxy scope of {@code cluster}, with what translation skipped and why. */
    public static SnapshotResult computeWithNotes(ConfigState state, String cluster, ProxyScope scope,
                                                  String commit) {
        return compute(MeshTranslator.model(state.resources().values(), cluster), cluster, scope, commit,
                new ResourceMemo());
    }

    /** Translates, builds (what {@code memo} holds is taken, not built again), checks and hashes one scope. */
    private static SnapshotResult compute(MeshTranslator.ClusterModel model, String cluster, ProxyScope scope,
                                          String commit, ResourceMemo memo) {
        MeshIr ir = MeshTranslator.translate(model, scope);
        Map<String, Map<String, byte[]>> resources = XdsResources.build(ir, memo);
        List<String> problems = SnapshotCheck.check(resources, memo.parser()).problems();
        if (!problems.isEmpty()) {
            throw new InconsistentSnapshotException(cluster, problems);
        }
        ScopeSnapshot snapshot = new ScopeSnapshot(cluster, scope.id(), ScopeSnapshot.versionOf(resources, memo::hash),
                commit, resources);
        return new SnapshotResult(snapshot, ir.notes());
    }

    /**
     * Every scope of {@code cluster} served: proxyless gRPC, and an Envoy sidecar of each namespace the config
     * names (and {@code default}) in both interception modes. Distributors serve a sidecar the scope of its
     * namespace, mode and labels; {@code requested} are the scopes they reported.
     */
    public static List<SnapshotResult> computeAll(ConfigState state, String cluster, String commit) {
        return computeAll(state, cluster, commit, java.util.Set.of());
    }

    /**
     * Like {@link #computeAll(ConfigState, String, String)}, plus the scopes distributors reported for proxies of
     * {@code cluster}. The gRPC scope comes first, the others sorted by id; what scopes share (services, backends)
     * is translated once, and every resource equal in several scopes is built, serialized, checked and hashed once.
     */
    public static List<SnapshotResult> computeAll(ConfigState state, String cluster, String commit,
                                                  java.util.Set<ProxyScope> requested) {
        return computeAll(state, cluster, commit, requested, new ResourceMemo());
    }

    /**
     * Like {@link #computeAll(ConfigState, String, String, java.util.Set)}, sharing {@code memo} with the other
     * clusters of the same decision: a resource equal in two clusters (all but the endpoints' locality priorities
     * are the same everywhere) is built once. The result is the same with a fresh memo, byte for byte.
     */
    public static List<SnapshotResult> computeAll(ConfigState state, String cluster, String commit,
                                                  java.util.Set<ProxyScope> requested, ResourceMemo memo) {
        java.util.TreeMap<String, ProxyScope> sidecars = new java.util.TreeMap<>();
        sidecarScopes(state).forEach(sc -> sidecars.put(sc.id(), sc));
        requested.stream().filter(sc -> sc.kind() != ProxyScope.Kind.GRPC)
                .forEach(sc -> sidecars.putIfAbsent(sc.id(), sc));
        MeshTranslator.ClusterModel model = MeshTranslator.model(state.resources().values(), cluster);
        List<SnapshotResult> out = new java.util.ArrayList<>();
        out.add(compute(model, cluster, ProxyScope.GRPC, commit, memo));
        // Scopes that differ only in labels no object selects on get the same config: computed once, then
        // published under each scope's id (the stored blobs are shared anyway; this saves the translation).
        java.util.Set<String> keys = ScopeLabels.keysRead(model);
        Map<ProxyScope, SnapshotResult> byInputs = new java.util.HashMap<>();
        for (ProxyScope scope : sidecars.values()) {
            SnapshotResult same = byInputs.computeIfAbsent(ScopeLabels.relevant(scope, keys),
                    relevant -> compute(model, cluster, relevant, commit, memo));
            ScopeSnapshot s = same.snapshot();
            out.add(new SnapshotResult(new ScopeSnapshot(cluster, scope.id(), s.version(), commit, s.resources()),
                    same.notes()));
        }
        return out;
    }

    /**
     * The sidecar scopes {@link #computeAll} computes: label-less ones per namespace and mode, and one per distinct
     * (namespace, labels) of the WorkloadEntries, so a VM's proxy is served its own scope as soon as it connects.
     * WorkloadEntry scopes are REDIRECT only, istio-proxy's default on a VM (iptables capture); a proxy without
     * capture asks for its scope and gets it within about a second. Labels a distributor would not use (more than
     * {@link ScopeRequest#MAX_LABELS}) give no scope of their own.
     */
    public static List<ProxyScope> sidecarScopes(ConfigState state) {
        TreeSet<String> namespaces = new TreeSet<>(List.of("default"));
        state.resources().values().forEach(r -> namespaces.add(r.metadata().namespace()));
        java.util.TreeMap<String, ProxyScope> out = new java.util.TreeMap<>();
        for (String ns : namespaces) {
            for (ProxyScope.Interception mode : ProxyScope.Interception.values()) {
                ProxyScope sc = ProxyScope.sidecar(ns, Map.of(), mode);
                out.put(sc.id(), sc);
            }
        }
        for (WorkloadEntry we : state.all(WorkloadEntry.class)) {
            Map<String, String> labels = we.spec().labels();
            if (!labels.isEmpty() && labels.size() <= ScopeRequest.MAX_LABELS) {
                ProxyScope sc = ProxyScope.sidecar(we.metadata().namespace(), labels,
                        ProxyScope.Interception.REDIRECT);
                out.put(sc.id(), sc);
            }
        }
        return List.copyOf(out.values());
    }

    /**
     * The clusters to compute snapshots for: the names of the {@code Cluster} objects in the state, sorted and
     * distinct, or {@code defaults} when the repository declares none.
     */
    public static List<String> clusters(ConfigState state, List<String> defaults) {
        TreeSet<String> names = new TreeSet<>();
        state.all(MeshCluster.class).forEach(c -> names.add(c.metadata().name()));
        return names.isEmpty() ? List.copyOf(defaults) : List.copyOf(names);
    }
}
