package meshlog.reconciler.ir;

/** A backend and its share of a route's traffic (weight / sum of the route's weights). */
public record WeightedBackendIr(BackendRef backend, int weight) {
}
