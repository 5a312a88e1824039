package meshlog.reconciler.ir;

import java.util.List;

/** What a matched route does. */
public sealed interface RouteActionIr permits RouteActionIr.Forward, RouteActionIr.ToCluster {

    /**
     * Sends the request to the backends, split by weight.
     *
     * @param backends one (weight then unused) or several with weights above 0
     */
    record Forward(List<WeightedBackendIr> backends) implements RouteActionIr {
        public Forward {
            backends = List.copyOf(backends);
        }
    }

    /** Sends the request to one of Istio's fixed clusters (e.g. {@code PassthroughCluster}). */
    record ToCluster(String cluster) implements RouteActionIr {
    }
}
