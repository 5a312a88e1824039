package meshlog.reconciler.ir;

import java.time.Duration;

/**
 * How a proxy talks to one backend, from the DestinationRule's traffic policy (the subset's merged over the
 * rule's, port-level settings over both). Null parts were not set; the proxy kind's layout fills in its defaults.
 *
 * @param lb null when not set
 * @param hash set with {@link Lb#RING_HASH} or {@link Lb#MAGLEV}: what routes to this backend hash on
 * @param ringSize the minimum ring size (ring hash) or table size (maglev); 0 for the proxy's default
 * @param tls how TLS is originated; null when the rule writes none (a sidecar's layout then uses auto mTLS)
 */
public record ClusterPolicyIr(Lb lb, HashPolicyIr hash, long ringSize, Limits limits, OutlierIr outlier,
                              Duration connectTimeout, Integer maxRequestsPerConnection, Duration idleTimeout,
                              UpstreamTlsIr tls) {

    public static final ClusterPolicyIr UNSET = new ClusterPolicyIr(null, null, 0, null, null, null, null, null,
            null);

    /** Load-balancing policies. */
    public enum Lb { ROUND_ROBIN, LEAST_REQUEST, RANDOM, PASSTHROUGH, RING_HASH, MAGLEV }

    /** Circuit-breaker thresholds (Envoy's default priority); null parts were not set. */
    public record Limits(Integer maxConnections, Integer maxPendingRequests, Integer maxRequests,
                         Integer maxRetries) {
    }

    /** Outlier detection: eject an endpoint after consecutive errors. Null parts were not set. */
    public record OutlierIr(Long consecutive5xx, Long consecutiveGateway, Long consecutiveLocalOrigin,
                            Duration interval, Duration baseEjectionTime, Integer maxEjectionPercent,
                            Integer minHealthPercent) {
    }

    public ClusterPolicyIr withLb(Lb lb) {
        return new ClusterPolicyIr(lb, hash, ringSize, limits, outlier, connectTimeout, maxRequestsPerConnection,
                idleTimeout, tls);
    }

    public ClusterPolicyIr withLimits(Limits limits) {
        return new ClusterPolicyIr(lb, hash, ringSize, limits, outlier, connectTimeout, maxRequestsPerConnection,
                idleTimeout, tls);
    }

    public ClusterPolicyIr withTls(UpstreamTlsIr tls) {
        return new ClusterPolicyIr(lb, hash, ringSize, limits, outlier, connectTimeout, maxRequestsPerConnection,
                idleTimeout, tls);
    }
}
