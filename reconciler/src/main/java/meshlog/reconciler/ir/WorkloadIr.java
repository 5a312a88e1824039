package meshlog.reconciler.ir;

import java.util.Map;

/**
 * One workload serving a service port.
 *
 * @param port the port the workload listens on for this service port
 * @param labels used to select subsets
 * @param weight relative load-balancing weight, at least 1
 */
public record WorkloadIr(String address, int port, Map<String, String> labels, LocalityIr locality, int weight) {
    public WorkloadIr {
        labels = Map.copyOf(labels);
    }
}
