package meshlog.reconciler.ir;

import java.time.Duration;
import java.util.List;

/**
 * How long a route waits and how it retries.
 *
 * @param timeout null to leave the client's default; {@link Duration#ZERO} disables the timeout (Istio's default
 *                for sidecars)
 * @param retry null for no retry policy
 */
public record RoutePolicyIr(Duration timeout, RetryIr retry) {

    public static final RoutePolicyIr NONE = new RoutePolicyIr(null, null);

    /**
     * Retries of one route.
     *
     * @param attempts retries after the first try
     * @param retryOn Envoy's retry conditions, comma-separated
     * @param perTryTimeout null for none
     * @param retriableStatusCodes the codes {@code retriable-status-codes} covers
     */
    public record RetryIr(int attempts, String retryOn, Duration perTryTimeout, List<Integer> retriableStatusCodes) {
        public RetryIr {
            retriableStatusCodes = List.copyOf(retriableStatusCodes);
        }
    }
}
