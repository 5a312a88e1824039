package meshlog.gatewayapi.model;

import java.time.Duration;

/**
 * Istio's {@code ConnectionPoolSettings} as a Sidecar uses it (per ingress listener and {@code inboundConnectionPool}):
 * limits on connections the proxy accepts. {@code tcp} and {@code http} are null when not given; counts are 0 and
 * durations null when not given (Envoy's defaults apply).
 */
public record SidecarConnectionPool(Tcp tcp, Http http) {

    /** {@code idleTimeout} of 0 disables the TCP idle timeout. */
    public record Tcp(int maxConnections, Duration connectTimeout, TcpKeepalive tcpKeepalive,
                      Duration maxConnectionDuration, Duration idleTimeout) {
    }

    public record TcpKeepalive(long probes, Duration time, Duration interval) {
    }

    public record Http(int http1MaxPendingRequests, int http2MaxRequests, int maxRequestsPerConnection,
                       int maxRetries, Duration idleTimeout, H2UpgradePolicy h2UpgradePolicy,
                       boolean useClientProtocol, int maxConcurrentStreams, Http2KeepAlive http2KeepAlive) {
        public Http {
            h2UpgradePolicy = h2UpgradePolicy == null ? H2UpgradePolicy.DEFAULT : h2UpgradePolicy;
        }
    }

    public enum H2UpgradePolicy { DEFAULT, DO_NOT_UPGRADE, UPGRADE }

    /** HTTP/2 PING keepalive; both fields are needed. */
    public record Http2KeepAlive(Duration interval, Duration timeout) {
    }
}
