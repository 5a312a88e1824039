package meshlog.reconciler;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import meshlog.configstore.endpoints.DiscoveredService;
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
 * The reconciler's pure core: served config to the xDS snapshots of one cluster, one per proxy scope.
 *
 * <p>{@code ConfigState → IR (translate) → Envoy protos (xds) → consistency check → ScopeSnapshot}. Pure and
 * deterministic: no I/O, no clock; the same state gives byte-identical resources and the same version on every
 * JVM. The version is {@link ScopeSnapshot#versionOf} of the resources, so it does not depend on the commit.
 *
 * <p>What is served, per service host and port of every ServiceEntry and every Kubernetes Service discovered: an
 * API listener and a route configuration named {@code <host>:<port>}, a cluster {@code outbound|<port>||<host>}
 * plus one per DestinationRule subset ({@code outbound|<port>|<subset>|<host>}), and an endpoint assignment per cluster. The semantics, and where they
 * differ from Istio, are documented on the translators of package {@code meshlog.reconciler.translate}.
 */
public final class SnapshotComputer {

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
        return computeWithNotes(state, List.of(), cluster, scope, commit);
    }

    /** Like {@link #computeWithNotes(ConfigState, String, ProxyScope, String)}, with discovered services. */
    public static SnapshotResult computeWithNotes(ConfigState state, Collection<DiscoveredService> discovered,
                                                  String cluster, ProxyScope scope, String commit) {
        return compute(MeshTranslator.model(state.resources().values(), discovered, cluster), cluster, scope,
                commit, new ResourceMemo());
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
     * Every scope of {@code cluster} served: proxyless gRPC of no namespace and of each namespace the config names
     * (and {@code default}), and an Envoy sidecar of each of those namespaces in both interception modes.
     * Distributors serve a proxy the scope of its namespace (and for a sidecar its mode and labels);
     * {@code requested} are the scopes they reported.
     */
    public static List<SnapshotResult> computeAll(ConfigState state, String cluster, String commit) {
        return computeAll(state, cluster, commit, java.util.Set.of());
    }

    /**
     * Like {@link #computeAll(ConfigState, String, String)}, plus the scopes distributors reported for proxies of
     * {@code cluster}. The namespace-less gRPC scope comes first, the others sorted by id; what scopes share
     * (services, backends) is translated once, and so is each distinct relevant scope ({@link ScopeLabels}); every
     * resource equal in several scopes is built, serialized, checked and hashed once.
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
        return computeAll(state, List.of(), cluster, commit, requested, memo);
    }

    /**
     * Like {@link #computeAll(ConfigState, String, String, java.util.Set, ResourceMemo)}, with the Kubernetes
     * Services discovered in the mesh's clusters ({@code meshlog.endpoints}) as a second source of services. An
     * endpoint-only change changes only endpoint assignments: every other resource, and so its hash, stays.
     *
     * @param discovered the service records of every cluster of the mesh (see {@link #meshRecords})
     */
    public static List<SnapshotResult> computeAll(ConfigState state, Collection<DiscoveredService> discovered,
                                                  String cluster, String commit,
                                                  java.util.Set<ProxyScope> requested, ResourceMemo memo) {
        MeshTranslator.ClusterModel model = MeshTranslator.model(state.resources().values(), discovered, cluster);
        java.util.Set<String> keys = ScopeLabels.keysRead(model);
        java.util.Set<String> grpcNamespaces = ScopeLabels.grpcNamespaces(model);
        java.util.TreeMap<String, ProxyScope> scopes = new java.util.TreeMap<>();
        grpcScopes(state, grpcNamespaces).forEach(sc -> scopes.put(sc.id(), sc));
        sidecarScopes(state).forEach(sc -> scopes.put(sc.id(), sc));
        requested.forEach(sc -> scopes.putIfAbsent(sc.id(), sc));
        scopes.remove(ProxyScope.GRPC.id());
        // Scopes whose relevant part is equal (a sidecar's labels no object selects on, a gRPC namespace no short
        // name resolves in) get the same config: computed once, then published under each scope's id (the stored
        // blobs are shared anyway; this saves the translation).
        Map<ProxyScope, SnapshotResult> byInputs = new java.util.HashMap<>();
        SnapshotResult grpc = compute(model, cluster, ProxyScope.GRPC, commit, memo);
        byInputs.put(ProxyScope.GRPC, grpc);
        List<SnapshotResult> out = new java.util.ArrayList<>();
        out.add(grpc);
        for (ProxyScope scope : scopes.values()) {
            SnapshotResult same = byInputs.computeIfAbsent(ScopeLabels.relevant(scope, keys, grpcNamespaces),
                    relevant -> compute(model, cluster, relevant, commit, memo));
            ScopeSnapshot s = same.snapshot();
            out.add(new SnapshotResult(new ScopeSnapshot(cluster, scope.id(), s.version(), commit, s.resources()),
                    same.notes()));
        }
        return out;
    }

    /**
     * The gRPC scopes {@link #computeAll} computes: one per namespace the config names (and {@code default}), and
     * one per namespace of {@code relevant} (where a short name resolves, or a {@code sourceNamespace} match
     * applies), so every namespace whose config differs from {@link ProxyScope#GRPC}'s is published without being
     * asked for; distributors rely on that to serve {@link ProxyScope#GRPC} meanwhile. Sorted by id.
     */
    static List<ProxyScope> grpcScopes(ConfigState state, java.util.Set<String> relevant) {
        TreeSet<String> namespaces = namespaces(state);
        namespaces.addAll(relevant);
        return namespaces.stream().map(ProxyScope::grpc).toList();
    }

    private static TreeSet<String> namespaces(ConfigState state) {
        TreeSet<String> namespaces = new TreeSet<>(List.of("default"));
        state.resources().values().forEach(r -> namespaces.add(r.metadata().namespace()));
        return namespaces;
    }

    /**
     * The sidecar scopes {@link #computeAll} computes: label-less ones per namespace and mode, and one per distinct
     * (namespace, labels) of the WorkloadEntries, so a VM's proxy is served its own scope as soon as it connects.
     * WorkloadEntry scopes are REDIRECT only, istio-proxy's default on a VM (iptables capture); a proxy without
     * capture asks for its scope and gets it within about a second. Labels a distributor would not use (more than
     * {@link ScopeRequest#MAX_LABELS}) give no scope of their own.
     */
    public static List<ProxyScope> sidecarScopes(ConfigState state) {
        java.util.TreeMap<String, ProxyScope> out = new java.util.TreeMap<>();
        for (String ns : namespaces(state)) {
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
     * The records of {@code discovered} that belong to the mesh: those of the clusters {@link #clusters} names.
     * A cluster removed from the config takes its services and endpoints with it, even while its discovery still
     * writes (or its records stay on the compacted topic).
     */
    public static List<DiscoveredService> meshRecords(Collection<DiscoveredService> discovered,
                                                      List<String> clusters) {
        java.util.Set<String> mesh = new java.util.HashSet<>(clusters);
        return discovered.stream().filter(d -> mesh.contains(d.cluster())).toList();
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
