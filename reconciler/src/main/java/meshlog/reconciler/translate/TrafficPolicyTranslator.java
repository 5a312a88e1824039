package meshlog.reconciler.translate;

import meshlog.gatewayapi.model.ClientTls;
import meshlog.gatewayapi.model.DestinationRule;
import meshlog.gatewayapi.model.LoadBalancerSettings;
import meshlog.gatewayapi.model.LoadBalancerSettings.ConsistentHash;
import meshlog.gatewayapi.model.TrafficPolicy;
import meshlog.gatewayapi.model.TrafficPolicy.ConnectionPool;
import meshlog.gatewayapi.model.TrafficPolicy.OutlierDetection;
import meshlog.gatewayapi.model.TrafficPolicy.PortTrafficPolicy;
import meshlog.reconciler.ir.ClusterPolicyIr;
import meshlog.reconciler.ir.HashPolicyIr;
import meshlog.reconciler.ir.UpstreamTlsIr;

/**
 * A DestinationRule's traffic policy for one backend (service port, maybe a subset), as Istio merges it: the rule's
 * policy, then the rule's {@code portLevelSettings} for that port, then the subset's policy, then the subset's
 * port-level settings; each later section ({@code loadBalancer}, {@code connectionPool},
 * {@code outlierDetection}, {@code tls}) replaces the earlier one whole.
 */
final class TrafficPolicyTranslator {

    private TrafficPolicyTranslator() {
    }

    /** @param subset null for the whole service */
    static ClusterPolicyIr policy(DestinationRule rule, DestinationRule.Subset subset, int port) {
        Sections s = new Sections();
        s.apply(rule == null ? null : rule.trafficPolicy(), port);
        s.apply(subset == null ? null : subset.trafficPolicy(), port);
        return s.toIr();
    }

    /** The sections in force so far. */
    private static final class Sections {
        LoadBalancerSettings lb;
        ConnectionPool pool;
        OutlierDetection outlier;
        ClientTls tls;

        void apply(TrafficPolicy p, int port) {
            if (p == null) {
                return;
            }
            take(p.loadBalancer(), p.connectionPool(), p.outlierDetection(), p.tls());
            for (PortTrafficPolicy pl : p.portLevelSettings()) {
                if (pl.port() != null && pl.port() == port) {
                    take(pl.loadBalancer(), pl.connectionPool(), pl.outlierDetection(), pl.tls());
                }
            }
        }

        private void take(LoadBalancerSettings l, ConnectionPool c, OutlierDetection o, ClientTls t) {
            lb = l != null ? l : lb;
            pool = c != null ? c : pool;
            outlier = o != null ? o : outlier;
            tls = t != null ? t : tls;
        }

        ClusterPolicyIr toIr() {
            ClusterPolicyIr.Lb kind = null;
            HashPolicyIr hash = null;
            long ringSize = 0;
            if (lb != null && lb.consistentHash() != null) {
                ConsistentHash ch = lb.consistentHash();
                boolean maglev = ch.hashAlgorithm() instanceof LoadBalancerSettings.Maglev;
                kind = maglev ? ClusterPolicyIr.Lb.MAGLEV : ClusterPolicyIr.Lb.RING_HASH;
                hash = hash(ch.hashKey());
                if (ch.hashAlgorithm() instanceof LoadBalancerSettings.RingHash r && r.minimumRingSize() != null) {
                    ringSize = r.minimumRingSize();
                } else if (ch.hashAlgorithm() instanceof LoadBalancerSettings.Maglev m && m.tableSize() != null) {
                    ringSize = m.tableSize();
                } else if (ch.minimumRingSize() != null) {
                    ringSize = ch.minimumRingSize();
                }
            } else if (lb != null && lb.simple() != null) {
                kind = switch (lb.simple()) {
                    case UNSPECIFIED -> null;
                    case LEAST_CONN, LEAST_REQUEST -> ClusterPolicyIr.Lb.LEAST_REQUEST;
                    case RANDOM -> ClusterPolicyIr.Lb.RANDOM;
                    case PASSTHROUGH -> ClusterPolicyIr.Lb.PASSTHROUGH;
                    case ROUND_ROBIN -> ClusterPolicyIr.Lb.ROUND_ROBIN;
                };
            }
            ClusterPolicyIr.Limits limits = null;
            java.time.Duration connectTimeout = null;
            Integer perConnection = null;
            java.time.Duration idle = null;
            if (pool != null) {
                ConnectionPool.Tcp tcp = pool.tcp();
                ConnectionPool.Http http = pool.http();
                limits = new ClusterPolicyIr.Limits(tcp == null ? null : tcp.maxConnections(),
                        http == null ? null : http.http1MaxPendingRequests(),
                        http == null ? null : http.http2MaxRequests(), http == null ? null : http.maxRetries());
                connectTimeout = tcp == null ? null : tcp.connectTimeout();
                perConnection = http == null ? null : http.maxRequestsPerConnection();
                idle = http == null ? null : http.idleTimeout();
            }
            return new ClusterPolicyIr(kind, hash, ringSize, limits, outlier(), connectTimeout, perConnection, idle,
                    tls == null ? null : tls(tls));
        }

        private static UpstreamTlsIr tls(ClientTls t) {
            UpstreamTlsIr.Mode mode = switch (t.mode()) {
                case DISABLE -> UpstreamTlsIr.Mode.DISABLE;
                case SIMPLE -> UpstreamTlsIr.Mode.SIMPLE;
                case MUTUAL -> UpstreamTlsIr.Mode.MUTUAL;
                case ISTIO_MUTUAL -> UpstreamTlsIr.Mode.ISTIO_MUTUAL;
            };
            return new UpstreamTlsIr(mode, false, t.subjectAltNames(), t.sni(), t.clientCertificate(),
                    t.privateKey(), t.caCertificates(), Boolean.TRUE.equals(t.insecureSkipVerify()), t.caCrl());
        }

        private ClusterPolicyIr.OutlierIr outlier() {
            if (outlier == null) {
                return null;
            }
            Long fiveXx = outlier.consecutive5xxErrors() != null ? outlier.consecutive5xxErrors()
                    : outlier.consecutiveErrors() != null ? Long.valueOf(outlier.consecutiveErrors()) : null;
            return new ClusterPolicyIr.OutlierIr(fiveXx, outlier.consecutiveGatewayErrors(),
                    outlier.consecutiveLocalOriginFailures(), outlier.interval(), outlier.baseEjectionTime(),
                    outlier.maxEjectionPercent(), outlier.minHealthPercent());
        }

        private static HashPolicyIr hash(LoadBalancerSettings.HashKey key) {
            if (key instanceof LoadBalancerSettings.HttpHeaderName h) {
                return new HashPolicyIr(HashPolicyIr.Kind.HEADER, h.name(), null, "");
            }
            if (key instanceof LoadBalancerSettings.HttpCookie c) {
                return new HashPolicyIr(HashPolicyIr.Kind.COOKIE, c.name(), c.ttl(), c.path());
            }
            if (key instanceof LoadBalancerSettings.UseSourceIp) {
                return new HashPolicyIr(HashPolicyIr.Kind.SOURCE_IP, "", null, "");
            }
            if (key instanceof LoadBalancerSettings.HttpQueryParameterName q) {
                return new HashPolicyIr(HashPolicyIr.Kind.QUERY_PARAMETER, q.name(), null, "");
            }
            return null; // validation requires a key; without one nothing is hashed
        }
    }
}
