package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import meshlog.reconciler.ir.BackendRef;
import meshlog.reconciler.ir.ServiceIr;

/** Looks up services' ports and whether a backend exists, for route translation. */
final class ServiceIndex {

    private final Map<String, List<Integer>> portsByHost = new TreeMap<>();
    private final Set<BackendRef> backends;

    ServiceIndex(List<ServiceIr> services, Set<BackendRef> backends) {
        services.forEach(s -> portsByHost.computeIfAbsent(s.host(), h -> new ArrayList<>()).add(s.port()));
        portsByHost.values().forEach(ports -> ports.sort(null));
        this.backends = Set.copyOf(backends);
    }

    boolean hasHost(String host) {
        return portsByHost.containsKey(host);
    }

    /** Sorted; empty for an unknown host. */
    List<Integer> ports(String host) {
        return portsByHost.getOrDefault(host, List.of());
    }

    boolean exists(BackendRef ref) {
        return backends.contains(ref);
    }
}
