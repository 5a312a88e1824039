package meshlog.reconciler.ir;

import java.util.List;

/**
 * The endpoints of one backend in one locality.
 *
 * @param priority 0 is tried first; priorities of one backend are dense (0..n)
 * @param weight the locality's share against others of the same priority: the sum of its endpoints' weights
 * @param endpoints sorted by address and port
 */
public record LocalityGroupIr(LocalityIr locality, int priority, int weight, List<EndpointIr> endpoints) {
    public LocalityGroupIr {
        endpoints = List.copyOf(endpoints);
    }
}
