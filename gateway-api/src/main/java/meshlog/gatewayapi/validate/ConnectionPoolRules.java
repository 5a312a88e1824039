package meshlog.gatewayapi.validate;

import java.time.Duration;
import meshlog.gatewayapi.model.TrafficPolicy.ConnectionPool;
import meshlog.gatewayapi.model.TrafficPolicy.ConnectionPool.H2UpgradePolicy;
import meshlog.gatewayapi.model.TrafficPolicy.ConnectionPool.Http;
import meshlog.gatewayapi.model.TrafficPolicy.ConnectionPool.Tcp;

/**
 * Istio's {@code validateConnectionPool}, for a DestinationRule's {@code connectionPool} (at any level) and a
 * Sidecar's {@code ingress[].connectionPool} and {@code inboundConnectionPool}. The rules are the same for both; the
 * codes differ by kind, and so does where a half-given {@code http2KeepAlive} is reported ({@link Codes}).
 */
final class ConnectionPoolRules {

    /**
     * The diagnostic codes of one kind, one per problem, and whether a half-given {@code http2KeepAlive} is reported
     * at the missing field (else at {@code http2KeepAlive}).
     */
    record Codes(String empty, String negative, String badDuration, String clientProtocolWithUpgrade,
                 String halfKeepAlive, boolean keepAliveAtMissingField) {
    }

    static final Codes DESTINATION_RULE = new Codes("DR0017", "DR0018", "DR0015", "DR0019", "DR0020", false);
    static final Codes SIDECAR = new Codes("SC0040", "SC0041", "SC0042", "SC0043", "SC0044", true);

    private ConnectionPoolRules() {
    }

    /** Checks {@code pool} when it is set. */
    static void check(ConnectionPool pool, String path, Codes codes, Findings f) {
        if (pool == null) {
            return;
        }
        if (pool.http() == null && pool.tcp() == null) {
            f.error(codes.empty(), path, "a connection pool must set http or tcp");
            return;
        }
        if (pool.http() != null) {
            http(pool.http(), path + ".http", codes, f);
        }
        if (pool.tcp() != null) {
            tcp(pool.tcp(), path + ".tcp", codes, f);
        }
    }

    private static void http(Http http, String path, Codes codes, Findings f) {
        count(http.http1MaxPendingRequests(), path + ".http1MaxPendingRequests", codes, f);
        count(http.http2MaxRequests(), path + ".http2MaxRequests", codes, f);
        count(http.maxRequestsPerConnection(), path + ".maxRequestsPerConnection", codes, f);
        count(http.maxRetries(), path + ".maxRetries", codes, f);
        count(http.maxConcurrentStreams(), path + ".maxConcurrentStreams", codes, f);
        duration(http.idleTimeout(), path + ".idleTimeout", codes, f);
        if (http.h2UpgradePolicy() == H2UpgradePolicy.UPGRADE && Boolean.TRUE.equals(http.useClientProtocol())) {
            f.error(codes.clientProtocolWithUpgrade(), path + ".useClientProtocol", "useClientProtocol must not be"
                    + " true when h2UpgradePolicy is UPGRADE");
        }
        var keepAlive = http.http2KeepAlive();
        if (keepAlive != null) {
            String at = path + ".http2KeepAlive";
            if (keepAlive.interval() == null || keepAlive.timeout() == null) {
                String missing = keepAlive.interval() == null ? at + ".interval" : at + ".timeout";
                f.error(codes.halfKeepAlive(), codes.keepAliveAtMissingField() ? missing : at,
                        "http2KeepAlive needs both interval and timeout");
            }
            duration(keepAlive.interval(), at + ".interval", codes, f);
            duration(keepAlive.timeout(), at + ".timeout", codes, f);
        }
    }

    private static void tcp(Tcp tcp, String path, Codes codes, Findings f) {
        count(tcp.maxConnections(), path + ".maxConnections", codes, f);
        duration(tcp.connectTimeout(), path + ".connectTimeout", codes, f);
        duration(tcp.maxConnectionDuration(), path + ".maxConnectionDuration", codes, f);
        // Istio skips an idle timeout of 0 whole milliseconds: it disables the timeout (http.idleTimeout has no such
        // exception). Go's Duration.Milliseconds() truncates toward zero, hence abs().
        boolean disabled = tcp.idleTimeout() != null && tcp.idleTimeout().abs().toMillis() == 0;
        if (!disabled) {
            duration(tcp.idleTimeout(), path + ".idleTimeout", codes, f);
        }
        if (tcp.tcpKeepalive() != null) {
            count(tcp.tcpKeepalive().probes(), path + ".tcpKeepalive.probes", codes, f);
            duration(tcp.tcpKeepalive().time(), path + ".tcpKeepalive.time", codes, f);
            duration(tcp.tcpKeepalive().interval(), path + ".tcpKeepalive.interval", codes, f);
        }
    }

    private static void count(Number n, String path, Codes codes, Findings f) {
        f.errorIf(codes.negative(), path, Checks.nonNegative(n));
    }

    private static void duration(Duration d, String path, Codes codes, Findings f) {
        if (d != null) {
            f.errorIf(codes.badDuration(), path, Checks.duration(d));
        }
    }
}
