package meshlog.reconciler.ir;

import java.util.List;

/**
 * A set of endpoints traffic can be sent to, grouped by locality.
 *
 * @param localities sorted by priority, then locality; empty when nothing serves the backend yet
 */
public record BackendIr(BackendRef ref, List<LocalityGroupIr> localities) {
    public BackendIr {
        localities = List.copyOf(localities);
    }

    public String name() {
        return ref.clusterName();
    }
}
