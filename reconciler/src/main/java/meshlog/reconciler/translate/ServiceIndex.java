package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import meshlog.reconciler.ir.BackendIr;
import meshlog.reconciler.ir.BackendRef;
import meshlog.reconciler.ir.ServiceIr;

/** Looks up services' ports and whether a backend exists, for route translation. */
final class ServiceIndex {

    private final Map<String, List<Integer>> portsByHost = new TreeMap<>();
    private final Map<BackendRef, BackendIr> backends = new java.util.HashMap<>();

    ServiceIndex(List<ServiceIr> services, List<BackendIr> backends) {
        services.forEach(s -> portsByHost.computeIfAbsent(s.host(), h -> new ArrayList<>()).add(s.port()));
        portsByHost.values().forEach(ports -> ports.sort(null));
        backends.forEach(b -> this.backends.put(b.ref(), b));
    }

    /** The consistent-hash key of a backend's policy, or null. */
    meshlog.reconciler.ir.HashPolicyIr hash(BackendRef ref) {
        BackendIr b = backends.get(ref);
        return b == null ? null : b.policy().hash();
    }

    boolean hasHost(String host) {
        return portsByHost.containsKey(host);
    }

    /** Sorted; empty for an unknown host. */
    List<Integer> ports(String host) {
        return portsByHost.getOrDefault(host, List.of());
    }

    boolean exists(BackendRef ref) {
        return backends.containsKey(ref);
    }
}
