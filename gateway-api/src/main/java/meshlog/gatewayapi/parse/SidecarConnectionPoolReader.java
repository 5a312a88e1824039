package meshlog.gatewayapi.parse;

import java.time.Duration;
import meshlog.gatewayapi.model.SidecarConnectionPool;
import meshlog.gatewayapi.model.SidecarConnectionPool.H2UpgradePolicy;
import meshlog.gatewayapi.model.SidecarConnectionPool.Http;
import meshlog.gatewayapi.model.SidecarConnectionPool.Http2KeepAlive;
import meshlog.gatewayapi.model.SidecarConnectionPool.Tcp;
import meshlog.gatewayapi.model.SidecarConnectionPool.TcpKeepalive;

/** Reads a Sidecar's {@code connectionPool} / {@code inboundConnectionPool} (Istio's ConnectionPoolSettings). */
final class SidecarConnectionPoolReader {

    private SidecarConnectionPoolReader() {
    }

    /** The pool, or null when {@code f} is absent. Ends {@code f}. */
    static SidecarConnectionPool read(Fields f) {
        if (f == null) {
            return null;
        }
        SidecarConnectionPool pool = new SidecarConnectionPool(tcp(f.object("tcp")), http(f.object("http")));
        f.end();
        return pool;
    }

    private static Tcp tcp(Fields f) {
        if (f == null) {
            return null;
        }
        int maxConnections = f.integer("maxConnections", 0);
        Duration connectTimeout = f.duration("connectTimeout");
        TcpKeepalive keepalive = null;
        Fields k = f.object("tcpKeepalive");
        if (k != null) {
            Long probes = k.longInteger("probes");
            keepalive = new TcpKeepalive(probes == null ? 0 : probes, k.duration("time"), k.duration("interval"));
            k.end();
        }
        Tcp tcp = new Tcp(maxConnections, connectTimeout, keepalive, f.duration("maxConnectionDuration"),
                f.duration("idleTimeout"));
        f.end();
        return tcp;
    }

    private static Http http(Fields f) {
        if (f == null) {
            return null;
        }
        int pending = f.integer("http1MaxPendingRequests", 0);
        int requests = f.integer("http2MaxRequests", 0);
        int perConnection = f.integer("maxRequestsPerConnection", 0);
        int retries = f.integer("maxRetries", 0);
        Duration idle = f.duration("idleTimeout");
        H2UpgradePolicy upgrade = EnumField.read(f, "h2UpgradePolicy", H2UpgradePolicy.class, H2UpgradePolicy.DEFAULT);
        boolean clientProtocol = Boolean.TRUE.equals(f.bool("useClientProtocol"));
        int streams = f.integer("maxConcurrentStreams", 0);
        Http2KeepAlive keepAlive = null;
        Fields k = f.object("http2KeepAlive");
        if (k != null) {
            keepAlive = new Http2KeepAlive(k.duration("interval"), k.duration("timeout"));
            k.end();
        }
        Http http = new Http(pending, requests, perConnection, retries, idle, upgrade, clientProtocol, streams,
                keepAlive);
        f.end();
        return http;
    }
}
