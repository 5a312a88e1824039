package meshlog.gatewayapi.model;

import java.time.Duration;
import java.util.List;

/**
 * A DestinationRule's traffic policy (for the whole host, a subset, or one port). Every part is null when not
 * written: Istio tells an absent setting from a zero one (a policy that sets nothing is an error).
 */
public record TrafficPolicy(LoadBalancerSettings loadBalancer, ConnectionPool connectionPool,
                            OutlierDetection outlierDetection, ClientTls tls,
                            List<PortTrafficPolicy> portLevelSettings, Tunnel tunnel, ProxyProtocol proxyProtocol,
                            RetryBudget retryBudget) {

    public TrafficPolicy {
        portLevelSettings = List.copyOf(portLevelSettings);
    }

    /** Whether nothing is set (an empty {@code portLevelSettings} list is unset, as in protobuf). */
    public boolean isEmpty() {
        return loadBalancer == null && connectionPool == null && outlierDetection == null && tls == null
                && portLevelSettings.isEmpty() && tunnel == null && proxyProtocol == null && retryBudget == null;
    }

    /** Settings for one port of the host; {@code port} is the port selector's number, null when not written. */
    public record PortTrafficPolicy(Integer port, LoadBalancerSettings loadBalancer, ConnectionPool connectionPool,
                                    OutlierDetection outlierDetection, ClientTls tls) {
        public boolean isEmpty() {
            return loadBalancer == null && connectionPool == null && outlierDetection == null && tls == null;
        }
    }

    /** Tunnels TCP to {@code targetHost:targetPort} over HTTP CONNECT (default) or POST. */
    public record Tunnel(String protocol, String targetHost, Integer targetPort) {
    }

    public record ProxyProtocol(Version version) {
        public enum Version { V1, V2 }
    }

    /** Concurrent retries as a percentage of active requests, with a floor. */
    public record RetryBudget(Double percent, Long minRetryConcurrency, Duration budgetInterval) {
    }

    /**
     * Circuit-breaker limits (Istio's {@code ConnectionPoolSettings}); {@code tcp} and {@code http} null when not
     * written, and so is every field inside them. A Sidecar's ingress and inbound pools are this type too.
     */
    public record ConnectionPool(Tcp tcp, Http http) {

        public record Tcp(Integer maxConnections, Duration connectTimeout, TcpKeepalive tcpKeepalive,
                          Duration maxConnectionDuration, Duration idleTimeout) {
        }

        public record TcpKeepalive(Long probes, Duration time, Duration interval) {
        }

        public record Http(Integer http1MaxPendingRequests, Integer http2MaxRequests,
                           Integer maxRequestsPerConnection, Integer maxRetries, Duration idleTimeout,
                           H2UpgradePolicy h2UpgradePolicy, Boolean useClientProtocol,
                           Integer maxConcurrentStreams, Http2KeepAlive http2KeepAlive) {
        }

        public enum H2UpgradePolicy { DEFAULT, DO_NOT_UPGRADE, UPGRADE }

        /** HTTP/2 PING frames: send every {@code interval}, close when unanswered after {@code timeout}. */
        public record Http2KeepAlive(Duration interval, Duration timeout) {
        }
    }

    /**
     * Ejection of misbehaving endpoints. {@code consecutiveErrors} is Istio's deprecated field;
     * {@code outlierDetectionHttpErrorCodes} lists the status codes counted as errors.
     */
    public record OutlierDetection(Integer consecutiveErrors, Long consecutiveGatewayErrors,
                                   Long consecutive5xxErrors, Long consecutiveLocalOriginFailures,
                                   Boolean splitExternalLocalOriginErrors, Duration interval,
                                   Duration baseEjectionTime, Integer maxEjectionPercent, Integer minHealthPercent,
                                   List<Integer> outlierDetectionHttpErrorCodes) {
        public OutlierDetection {
            outlierDetectionHttpErrorCodes = List.copyOf(outlierDetectionHttpErrorCodes);
        }
    }
}
