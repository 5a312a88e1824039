package meshlog.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.event.CommitInfo;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.state.ConfigState;
import meshlog.gatewayapi.Diagnostic;
import meshlog.reconciler.ir.GatewayApiCondition;
import meshlog.reconciler.kafka.ReconcilerService;

/** What the admin API reports about a running {@link MeshlogNode}. */
final class NodeStatus implements AdminServer.StatusSource {

    record Rejected(CommitInfo commit, List<String> diagnostics) {
    }

    /**
     * @param version and {@code typeVersions}: of the namespace-less gRPC scope, which stands for the cluster
     * @param proxies how many connected proxies are in each state (SYNCED, STALE, NACK); the proxies themselves are
     *                on {@code /api/proxies}, paginated, so this stays small with thousands of them
     */
    record Distributor(String name, String address, String version, Map<String, String> typeVersions,
                       Map<String, Integer> proxies) {
    }

    record Cluster(String name, ReconcilerService.Published snapshot, List<Distributor> distributors) {
    }

    /**
     * @param lastAppliedWarnings the warnings of the last applied commit: what is valid but not applied to proxies
     *     (a PeerAuthentication that is not enforced yet, a retry policy), hosts nothing defines
     * @param notServed what the applied config asks for that could not be served, e.g. a route to an unknown host
     * @param pinned the pinned revision served instead of {@code lastApplied} (the drift), or null
     * @param gatewayApi the status conditions of the Gateway API objects (Gateway, HTTPRoute), which a controller
     *     would write to their {@code status}; meshlog reads git and has no API server to write them to
     */
    record Status(String repo, String branch, String lastProcessed, CommitInfo lastApplied,
                  List<String> lastAppliedWarnings, Rejected lastRejected, int resources, List<String> notServed,
                  List<Cluster> clusters, Pinned pinned, List<GatewayApiCondition> gatewayApi) {
    }

    /** A pin ({@code meshlog rollback --pin}): its commit is served, whatever git's branch holds. */
    record Pinned(String commit, String by, java.time.Instant time, String reason) {
    }

    private final MeshlogNode node;

    NodeStatus(MeshlogNode node) {
        this.node = node;
    }

    /** Whether the process can serve at all: its heap, and its components' heartbeats. */
    @Override
    public Map<String, String> problems() {
        Map<String, String> out = new TreeMap<>(node.watchdog().stuck());
        String heap = node.heap().problem();
        if (heap != null) {
            out.put("heap", heap);
        }
        return out;
    }

    /** What keeps it from serving the current config: a component failed, or not caught up with its topic. */
    @Override
    public Map<String, String> notReady() {
        Map<String, String> out = new TreeMap<>(problems());
        if (node.gitSync().lastFailure() != null) {
            out.put("git-sync", node.gitSync().lastFailure().toString());
        }
        ReconcilerService r = node.reconciler();
        if (r.lastFailure() != null) {
            out.put("reconciler", r.lastFailure());
        } else if (!r.ready()) {
            out.put("reconciler", "reading the log");
        }
        out.putAll(node.discoveryProblems());
        for (MeshlogNode.Replica d : node.replicas()) {
            if (d.feed().failure() != null) {
                out.put("distributor " + d.name(), d.feed().failure().toString());
            } else if (!d.feed().caughtUp()) {
                out.put("distributor " + d.name(), "reading snapshots");
            }
        }
        return out;
    }

    /** Each connected proxy against what its own scope is served (a gRPC client of shop: grpc~shop's). */
    static List<ProxySync.Row> proxies(MeshlogNode.Replica r) {
        return r.server().connectedProxies().stream().map(c -> ProxySync.row(r.cluster(), r.name(), c.scope(),
                c.status(), r.server().servedTypeVersions(c.scope()), r.server().servedSnapshot(c.scope()).commit()))
                .toList();
    }

    static Distributor distributor(MeshlogNode.Replica r) {
        Map<String, Integer> counts = new TreeMap<>();
        proxies(r).forEach(p -> counts.merge(p.state(), 1, Integer::sum));
        return new Distributor(r.name(), r.server().address(), r.server().currentVersion(),
                r.server().currentTypeVersions(), counts);
    }

    @Override
    public Object proxyConfig(String proxyId, String type) {
        for (MeshlogNode.Replica r : node.replicas()) {
            Object config = LiveProxyConfig.of(r.cluster(), r.name(), r.server(), proxyId, type);
            if (config != null) {
                return config;
            }
        }
        return null;
    }

    @Override
    public meshlog.ops.ui.UiSource ui() {
        return new UiData(node, this);
    }

    @Override
    public String metrics() {
        return node.metrics();
    }

    @Override
    public List<ProxySync.Row> proxies() {
        return node.replicas().stream().flatMap(r -> proxies(r).stream()).toList();
    }

    @Override
    public Status status() {
        ConfigState state = node.reconciler().state();
        CommitRejected rej = state.lastRejected();
        Rejected rejected = rej == null ? null
                : new Rejected(rej.info(), rej.diagnostics().stream().map(Diagnostic::format).toList());
        Map<String, ReconcilerService.Published> published = node.reconciler().published();
        List<Cluster> clusters = new ArrayList<>();
        for (String c : node.clusters()) {
            List<Distributor> ds = node.replicas().stream().filter(r -> r.cluster().equals(c))
                    .map(NodeStatus::distributor).toList();
            clusters.add(new Cluster(c, published.get(c), ds));
        }
        return new Status(node.repository().toString(), node.repository().branch(), node.gitSync().lastProcessed(),
                state.lastApplied(), state.lastAppliedWarnings().stream().map(Diagnostic::format).toList(), rejected,
                state.resources().size(),
                node.reconciler().notes().stream().map(Object::toString).toList(), clusters,
                state.pin() == null ? null : new Pinned(state.pin().commit(), state.pin().by(), state.pin().time(),
                        state.pin().reason()), node.reconciler().gatewayApiStatus());
    }
}
