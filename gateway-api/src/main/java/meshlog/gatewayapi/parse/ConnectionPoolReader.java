package meshlog.gatewayapi.parse;

import meshlog.gatewayapi.model.TrafficPolicy.ConnectionPool;
import meshlog.gatewayapi.model.TrafficPolicy.ConnectionPool.H2UpgradePolicy;
import meshlog.gatewayapi.model.TrafficPolicy.ConnectionPool.Http;
import meshlog.gatewayapi.model.TrafficPolicy.ConnectionPool.Http2KeepAlive;
import meshlog.gatewayapi.model.TrafficPolicy.ConnectionPool.Tcp;
import meshlog.gatewayapi.model.TrafficPolicy.ConnectionPool.TcpKeepalive;

/**
 * Reads Istio's {@code ConnectionPoolSettings}: a DestinationRule's {@code connectionPool} (at any level) and a
 * Sidecar's {@code ingress[].connectionPool} and {@code inboundConnectionPool}.
 */
final class ConnectionPoolReader {

    private ConnectionPoolReader() {
    }

    /** The pool, or null when {@code f} is absent. Ends {@code f}. */
    static ConnectionPool read(Fields f) {
        if (f == null) {
            return null;
        }
        var pool = new ConnectionPool(tcp(f.object("tcp")), http(f.object("http")));
        f.end();
        return pool;
    }

    private static Tcp tcp(Fields f) {
        if (f == null) {
            return null;
        }
        TcpKeepalive keepalive = null;
        Fields k = f.object("tcpKeepalive");
        if (k != null) {
            keepalive = new TcpKeepalive(k.longInteger("probes"), k.duration("time"), k.duration("interval"));
            k.end();
        }
        var tcp = new Tcp(f.integer("maxConnections", null), f.duration("connectTimeout"), keepalive,
                f.duration("maxConnectionDuration"), f.duration("idleTimeout"));
        f.end();
        return tcp;
    }

    private static Http http(Fields f) {
        if (f == null) {
            return null;
        }
        Http2KeepAlive keepAlive = null;
        Fields k = f.object("http2KeepAlive");
        if (k != null) {
            keepAlive = new Http2KeepAlive(k.duration("interval"), k.duration("timeout"));
            k.end();
        }
        var http = new Http(f.integer("http1MaxPendingRequests", null), f.integer("http2MaxRequests", null),
                f.integer("maxRequestsPerConnection", null), f.integer("maxRetries", null),
                f.duration("idleTimeout"), EnumField.read(f, "h2UpgradePolicy", H2UpgradePolicy.class, null),
                f.bool("useClientProtocol"), f.integer("maxConcurrentStreams", null), keepAlive);
        f.end();
        return http;
    }
}
