package meshlog.reconciler.plan;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import meshlog.configstore.scope.ScopeRequest;
import meshlog.configstore.scope.ProxyScope;

/**
 * The scopes distributors asked for, by cluster, at most {@link #MAX_PER_CLUSTER} per cluster: a request past the
 * cap is refused, so records on {@code meshlog.scopes} cannot make the reconciler compute without bound. Safe to add
 * to from one thread while another reads {@link #snapshot()}.
 */
public final class RequestedScopes {

    public static final int MAX_PER_CLUSTER = 2_000;

    /** What became of one request. */
    public enum Outcome {
        /** A scope not requested before: compute it. */
        ADDED,
        /** Already requested: nothing changes. */
        KNOWN,
        /** The cluster has {@link #MAX_PER_CLUSTER} scopes already: not added. */
        FULL
    }

    private final Map<String, Set<ProxyScope>> byCluster = new HashMap<>();
    private volatile Map<String, Set<ProxyScope>> snapshot = Map.of();

    public synchronized Outcome add(ScopeRequest request) {
        Set<ProxyScope> scopes = byCluster.computeIfAbsent(request.cluster(), c -> new LinkedHashSet<>());
        if (scopes.contains(request.scope())) {
            return Outcome.KNOWN;
        }
        if (scopes.size() >= MAX_PER_CLUSTER) {
            return Outcome.FULL;
        }
        scopes.add(request.scope());
        Map<String, Set<ProxyScope>> next = new HashMap<>(snapshot);
        next.put(request.cluster(), Set.copyOf(scopes));
        snapshot = Map.copyOf(next);
        return Outcome.ADDED;
    }

    /** Every scope requested so far, by cluster (immutable). */
    public Map<String, Set<ProxyScope>> snapshot() {
        return snapshot;
    }
}
