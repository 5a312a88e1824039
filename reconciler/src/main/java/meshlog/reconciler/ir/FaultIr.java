package meshlog.reconciler.ir;

import java.time.Duration;

/**
 * Fault injection on a route (Envoy's fault filter, configured per route).
 *
 * @param delay null for no delay
 * @param delayPercent share of requests delayed, 0..100
 * @param abortHttpStatus 0 for no HTTP abort
 * @param abortGrpcStatus -1 for no gRPC abort
 * @param abortPercent share of requests aborted, 0..100
 */
public record FaultIr(Duration delay, double delayPercent, int abortHttpStatus, int abortGrpcStatus,
                      double abortPercent) {
}
