package meshlog.reconciler.ir;

import java.time.Duration;
import java.util.List;

/**
 * How long a route waits and how it retries.
 *
 * @param timeout null to leave the client's default; {@link Duration#ZERO} disables the timeout (Istio's default
 *                for sidecars)
 * @param retry null for no retry policy
 * @param deadline how the proxy kind enforces the timeout
 */
public record RoutePolicyIr(Duration timeout, RetryIr retry, Deadline deadline) {

    public static final RoutePolicyIr NONE = new RoutePolicyIr(null, null);

    /** No policy, for proxyless gRPC: a timeout the route sets later is a stream deadline. */
    public static final RoutePolicyIr GRPC_NONE = new RoutePolicyIr(null, null, Deadline.STREAM_DURATION);

    /**
     * Where the timeout is enforced, which differs by proxy kind as in Istio's route translation: Envoy applies the
     * route {@code timeout} and lets a gRPC caller's {@code grpc-timeout} header shorten it; grpc-java reads only
     * {@code max_stream_duration}.
     */
    public enum Deadline {
        /** Envoy: {@code timeout}, and {@code grpc-timeout} headers honoured up to it (0: without a cap). */
        ROUTE_TIMEOUT,
        /** Proxyless gRPC: {@code max_stream_duration}. */
        STREAM_DURATION
    }

    public RoutePolicyIr {
        java.util.Objects.requireNonNull(deadline, "deadline");
    }

    /** A policy enforced as Envoy enforces it. */
    public RoutePolicyIr(Duration timeout, RetryIr retry) {
        this(timeout, retry, Deadline.ROUTE_TIMEOUT);
    }

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
