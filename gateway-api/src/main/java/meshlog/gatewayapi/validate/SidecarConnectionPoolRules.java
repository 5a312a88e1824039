package meshlog.gatewayapi.validate;

import java.time.Duration;
import meshlog.gatewayapi.model.SidecarConnectionPool;
import meshlog.gatewayapi.model.SidecarConnectionPool.H2UpgradePolicy;
import meshlog.gatewayapi.model.SidecarConnectionPool.Http;
import meshlog.gatewayapi.model.SidecarConnectionPool.Tcp;

/** Istio's {@code validateConnectionPool} for a Sidecar's {@code connectionPool} and {@code inboundConnectionPool}. */
final class SidecarConnectionPoolRules {

    private SidecarConnectionPoolRules() {
    }

    static void check(SidecarConnectionPool pool, String path, Findings f) {
        if (pool.tcp() == null && pool.http() == null) {
            f.error("SC0040", path, "a connection pool needs tcp or http settings");
            return;
        }
        if (pool.http() != null) {
            http(pool.http(), path + ".http", f);
        }
        if (pool.tcp() != null) {
            tcp(pool.tcp(), path + ".tcp", f);
        }
    }

    private static void http(Http h, String path, Findings f) {
        count(h.http1MaxPendingRequests(), path + ".http1MaxPendingRequests", f);
        count(h.http2MaxRequests(), path + ".http2MaxRequests", f);
        count(h.maxRequestsPerConnection(), path + ".maxRequestsPerConnection", f);
        count(h.maxRetries(), path + ".maxRetries", f);
        count(h.maxConcurrentStreams(), path + ".maxConcurrentStreams", f);
        duration(h.idleTimeout(), path + ".idleTimeout", f);
        if (h.h2UpgradePolicy() == H2UpgradePolicy.UPGRADE && h.useClientProtocol()) {
            f.error("SC0043", path + ".useClientProtocol", "useClientProtocol must not be true when"
                    + " h2UpgradePolicy is UPGRADE");
        }
        if (h.http2KeepAlive() != null) {
            String at = path + ".http2KeepAlive";
            if (h.http2KeepAlive().interval() == null || h.http2KeepAlive().timeout() == null) {
                f.error("SC0044", h.http2KeepAlive().interval() == null ? at + ".interval" : at + ".timeout",
                        "http2KeepAlive needs both interval and timeout");
            }
            duration(h.http2KeepAlive().interval(), at + ".interval", f);
            duration(h.http2KeepAlive().timeout(), at + ".timeout", f);
        }
    }

    private static void tcp(Tcp t, String path, Findings f) {
        count(t.maxConnections(), path + ".maxConnections", f);
        duration(t.connectTimeout(), path + ".connectTimeout", f);
        duration(t.maxConnectionDuration(), path + ".maxConnectionDuration", f);
        if (t.idleTimeout() != null && !t.idleTimeout().isZero()) { // 0s disables the idle timeout
            duration(t.idleTimeout(), path + ".idleTimeout", f);
        }
        if (t.tcpKeepalive() != null) {
            count(t.tcpKeepalive().probes(), path + ".tcpKeepalive.probes", f);
            duration(t.tcpKeepalive().time(), path + ".tcpKeepalive.time", f);
            duration(t.tcpKeepalive().interval(), path + ".tcpKeepalive.interval", f);
        }
    }

    private static void count(long value, String path, Findings f) {
        if (value < 0) {
            f.error("SC0041", path, "must not be negative, got " + value);
        }
    }

    private static void duration(Duration d, String path, Findings f) {
        if (d != null) {
            f.errorIf("SC0042", path, Checks.duration(d));
        }
    }
}
