package meshlog.gatewayapi.validate;

import meshlog.gatewayapi.model.LoadBalancerSettings;
import meshlog.gatewayapi.model.TrafficPolicy;
import meshlog.gatewayapi.model.TrafficPolicy.ConnectionPool;

/**
 * Which parts of a DestinationRule traffic policy the reconciler applies (docs/config.md): load balancing (simple
 * and consistent hash), circuit breakers (connection and request limits, connect and idle timeouts, requests per
 * connection), outlier detection, and port-level settings of those. Everything else is reported with
 * {@link Findings#notTranslated}.
 */
final class TrafficPolicyCoverage {

    private TrafficPolicyCoverage() {
    }

    static void report(TrafficPolicy p, String path, Findings f) {
        lb(p.loadBalancer(), path + ".loadBalancer", f);
        pool(p.connectionPool(), path + ".connectionPool", f);
        outlier(p.outlierDetection(), path + ".outlierDetection", f);
        notNull(p.tls(), path + ".tls", f);
        notNull(p.tunnel(), path + ".tunnel", f);
        notNull(p.proxyProtocol(), path + ".proxyProtocol", f);
        notNull(p.retryBudget(), path + ".retryBudget", f);
        for (int i = 0; i < p.portLevelSettings().size(); i++) {
            TrafficPolicy.PortTrafficPolicy pl = p.portLevelSettings().get(i);
            String at = path + ".portLevelSettings[" + i + "]";
            lb(pl.loadBalancer(), at + ".loadBalancer", f);
            pool(pl.connectionPool(), at + ".connectionPool", f);
            outlier(pl.outlierDetection(), at + ".outlierDetection", f);
            notNull(pl.tls(), at + ".tls", f);
        }
    }

    private static void lb(LoadBalancerSettings lb, String path, Findings f) {
        if (lb == null) {
            return;
        }
        notNull(lb.localityLbSetting(), path + ".localityLbSetting", f);
        notNull(lb.zoneAwareLbSetting(), path + ".zoneAwareLbSetting", f);
        notNull(lb.warmupDurationSecs(), path + ".warmupDurationSecs", f);
        notNull(lb.warmup(), path + ".warmup", f);
    }

    private static void pool(ConnectionPool pool, String path, Findings f) {
        if (pool == null) {
            return;
        }
        if (pool.tcp() != null) {
            notNull(pool.tcp().tcpKeepalive(), path + ".tcp.tcpKeepalive", f);
            notNull(pool.tcp().maxConnectionDuration(), path + ".tcp.maxConnectionDuration", f);
            notNull(pool.tcp().idleTimeout(), path + ".tcp.idleTimeout", f);
        }
        if (pool.http() != null) {
            notNull(pool.http().h2UpgradePolicy(), path + ".http.h2UpgradePolicy", f);
            notNull(pool.http().useClientProtocol(), path + ".http.useClientProtocol", f);
            notNull(pool.http().maxConcurrentStreams(), path + ".http.maxConcurrentStreams", f);
            notNull(pool.http().http2KeepAlive(), path + ".http.http2KeepAlive", f);
        }
    }

    private static void outlier(TrafficPolicy.OutlierDetection o, String path, Findings f) {
        if (o != null && !o.outlierDetectionHttpErrorCodes().isEmpty()) {
            f.notTranslated(path + ".outlierDetectionHttpErrorCodes");
        }
    }

    private static void notNull(Object value, String path, Findings f) {
        if (value != null) {
            f.notTranslated(path);
        }
    }
}
