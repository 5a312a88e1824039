package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.reconciler.ir.EndpointIr;
import meshlog.reconciler.ir.LocalityGroupIr;
import meshlog.reconciler.ir.LocalityIr;
import meshlog.reconciler.ir.WorkloadIr;

/**
 * Groups workloads by locality and sets locality failover priorities, Istio-like but simpler.
 *
 * <p>Workloads inside the cluster's locality (see {@link LocalityIr#within}) get priority 0 and all others priority
 * 1, so a client uses the remote ones only when no local one is available. When no workload is local (or the
 * cluster declares no locality) everything is priority 0: the gRPC client NACKs sparse priorities (a priority 1
 * without a priority 0). Istio grades further (zone, then region) and turns failover on only with outlier
 * detection; meshlog always fails over by locality.
 *
 * <p>A locality's weight is the sum of its endpoints' weights (the gRPC client ignores a locality without one),
 * capped at {@link Integer#MAX_VALUE}.
 */
final class LocalityPolicy {

    private static final Comparator<EndpointIr> ENDPOINT_ORDER = Comparator.comparing(EndpointIr::address)
            .thenComparingInt(EndpointIr::port).thenComparingInt(EndpointIr::weight);

    private LocalityPolicy() {
    }

    /** @return sorted by priority, then locality */
    static List<LocalityGroupIr> group(List<WorkloadIr> workloads, LocalityIr local) {
        Map<LocalityIr, List<EndpointIr>> byLocality = new TreeMap<>();
        for (WorkloadIr w : workloads) {
            byLocality.computeIfAbsent(w.locality(), l -> new ArrayList<>())
                    .add(new EndpointIr(w.address(), w.port(), w.weight()));
        }
        boolean anyLocal = byLocality.keySet().stream().anyMatch(l -> l.within(local));
        List<LocalityGroupIr> out = new ArrayList<>();
        byLocality.forEach((locality, endpoints) -> {
            endpoints.sort(ENDPOINT_ORDER);
            long weight = endpoints.stream().mapToLong(EndpointIr::weight).sum();
            int priority = anyLocal && !locality.within(local) ? 1 : 0;
            out.add(new LocalityGroupIr(locality, priority, (int) Math.min(weight, Integer.MAX_VALUE), endpoints));
        });
        out.sort(Comparator.comparingInt(LocalityGroupIr::priority).thenComparing(LocalityGroupIr::locality));
        return out;
    }
}
