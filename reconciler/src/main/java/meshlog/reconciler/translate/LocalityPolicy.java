package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import meshlog.reconciler.ir.EndpointIr;
import meshlog.reconciler.ir.LocalityGroupIr;
import meshlog.reconciler.ir.LocalityIr;
import meshlog.reconciler.ir.WorkloadIr;
import meshlog.xdscheck.XdsLimits;

/**
 * Groups workloads by locality and sets failover priorities as Istio does.
 *
 * <p>Without outlier detection on the backend (or when the cluster declares no locality) every locality has
 * priority 0: Istio applies locality failover only with outlier detection, since without it an unhealthy local
 * endpoint would never be failed over from. With it, priorities are graded by how much of the locality matches the
 * cluster's: region, zone and subzone (0), region and zone (1), region (2), nothing (3); the grades in use are then
 * made dense from 0, as Envoy and gRPC require.
 *
 * <p>A locality's weight is the sum of its endpoints' weights (the gRPC client ignores a locality without one); when
 * the weights of one priority would sum past 2^32-1 (which gRPC and Envoy refuse) they are scaled down in
 * proportion, each staying at least 1.
 */
final class LocalityPolicy {

    private static final Comparator<EndpointIr> ENDPOINT_ORDER = Comparator.comparing(EndpointIr::address)
            .thenComparingInt(EndpointIr::port).thenComparingInt(EndpointIr::weight);

    private LocalityPolicy() {
    }

    /** @return sorted by priority, then locality */
    static List<LocalityGroupIr> group(List<WorkloadIr> workloads, LocalityIr local, boolean failover) {
        Map<LocalityIr, List<EndpointIr>> byLocality = new TreeMap<>();
        for (WorkloadIr w : workloads) {
            byLocality.computeIfAbsent(w.locality(), l -> new ArrayList<>())
                    .add(new EndpointIr(w.address(), w.port(), w.weight(), w.istioMtls()));
        }
        boolean graded = failover && !local.isNone();
        TreeSet<Integer> grades = new TreeSet<>();
        byLocality.keySet().forEach(l -> grades.add(graded ? grade(l, local) : 0));
        List<Integer> dense = List.copyOf(grades);
        Map<Integer, Long> totals = new TreeMap<>();
        byLocality.forEach((l, eps) -> totals.merge(graded ? grade(l, local) : 0,
                eps.stream().mapToLong(EndpointIr::weight).sum(), Long::sum));
        List<LocalityGroupIr> out = new ArrayList<>();
        byLocality.forEach((locality, endpoints) -> {
            endpoints.sort(ENDPOINT_ORDER);
            int grade = graded ? grade(locality, local) : 0;
            long weight = endpoints.stream().mapToLong(EndpointIr::weight).sum();
            long total = totals.get(grade);
            if (total > XdsLimits.MAX_TOTAL_WEIGHT) {
                weight = Math.max(1, (long) (weight * ((double) XdsLimits.MAX_TOTAL_WEIGHT / total)) - 1);
            }
            out.add(new LocalityGroupIr(locality, dense.indexOf(grade), (int) Math.min(weight, Integer.MAX_VALUE),
                    endpoints));
        });
        out.sort(Comparator.comparingInt(LocalityGroupIr::priority).thenComparing(LocalityGroupIr::locality));
        return out;
    }

    /** 0 when region, zone and subzone all match; 1 region and zone; 2 region only; 3 none. */
    static int grade(LocalityIr l, LocalityIr local) {
        if (!l.region().equals(local.region())) {
            return 3;
        }
        if (!l.zone().equals(local.zone())) {
            return 2;
        }
        return l.subZone().equals(local.subZone()) ? 0 : 1;
    }
}
