package meshlog.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.event.CommitInfo;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.state.ConfigState;
import meshlog.configstore.status.ProxyStatus;
import meshlog.gatewayapi.Diagnostic;
import meshlog.reconciler.kafka.ReconcilerService;

/** What the admin API reports about a running {@link MeshlogNode}. */
final class NodeStatus implements AdminServer.StatusSource {

    record Rejected(CommitInfo commit, List<String> diagnostics) {
    }

    /**
     * @param scope its scope id ({@code grpc~<ns>}, {@code sidecar~<ns>~<mode>~<labels hash>})
     * @param inSync whether it has ACKed every routing type its distributor serves its scope now
     */
    record Proxy(String proxyId, String scope, boolean connected, boolean inSync, ProxyStatus detail) {
    }

    /** @param version and {@code typeVersions}: of the namespace-less gRPC scope, which stands for the cluster */
    record Distributor(String name, String address, String version, Map<String, String> typeVersions,
                       List<Proxy> proxies) {
    }

    record Cluster(String name, ReconcilerService.Published snapshot, List<Distributor> distributors) {
    }

    /**
     * @param lastAppliedWarnings the warnings of the last applied commit: what is valid but not applied to proxies
     *     (a PeerAuthentication that is not enforced yet, a retry policy), hosts nothing defines
     * @param notServed what the applied config asks for that could not be served, e.g. a route to an unknown host
     * @param pinned the pinned revision served instead of {@code lastApplied} (the drift), or null
     */
    record Status(String repo, String branch, String lastProcessed, CommitInfo lastApplied,
                  List<String> lastAppliedWarnings, Rejected lastRejected, int resources, List<String> notServed,
                  List<Cluster> clusters, Pinned pinned) {
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
        node.discoveries().forEach(d -> out.putAll(d.notReady()));
        for (MeshlogNode.Replica d : node.replicas()) {
            if (d.feed().failure() != null) {
                out.put("distributor " + d.name(), d.feed().failure().toString());
            } else if (!d.feed().caughtUp()) {
                out.put("distributor " + d.name(), "reading snapshots");
            }
        }
        return out;
    }

    static Distributor distributor(MeshlogNode.Replica r) {
        // Each proxy against what its own scope is served (a gRPC client of shop: grpc~shop's), not the cluster's.
        List<Proxy> proxies = r.server().connectedProxies().stream().map(c -> {
            ProxyStatus p = c.status();
            Map<String, String> served = r.server().servedTypeVersions(c.scope());
            boolean inSync = served.entrySet().stream().allMatch(e -> p.types().containsKey(e.getKey())
                    && e.getValue().equals(p.types().get(e.getKey()).ackedVersion()));
            return new Proxy(p.proxyId(), c.scope(), p.connected(), inSync, p);
        }).toList();
        return new Distributor(r.name(), r.server().address(), r.server().currentVersion(),
                r.server().currentTypeVersions(), proxies);
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
                        state.pin().reason()));
    }
}
