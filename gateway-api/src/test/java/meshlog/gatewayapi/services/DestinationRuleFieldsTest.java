package meshlog.gatewayapi.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.model.ClientTls;
import meshlog.gatewayapi.model.DestinationRule;
import meshlog.gatewayapi.model.LoadBalancerSettings;
import meshlog.gatewayapi.model.LoadBalancerSettings.CookieAttribute;
import meshlog.gatewayapi.model.LoadBalancerSettings.HttpCookie;
import meshlog.gatewayapi.model.LoadBalancerSettings.Maglev;
import meshlog.gatewayapi.model.LoadBalancerSettings.RingHash;
import meshlog.gatewayapi.model.LoadBalancerSettings.UseSourceIp;
import meshlog.gatewayapi.model.TrafficPolicy;
import meshlog.gatewayapi.model.TrafficPolicy.ConnectionPool.H2UpgradePolicy;
import meshlog.gatewayapi.model.TrafficPolicy.ProxyProtocol;
import org.junit.jupiter.api.Test;

/** Every DestinationRule field, read from a valid document with no errors, and the values it reads to. */
class DestinationRuleFieldsTest {

    static final String FULL = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews, namespace: shop}
            spec:
              host: reviews.shop.svc.cluster.local
              exportTo: ["."]
              workloadSelector:
                matchLabels: {app: frontend}
              trafficPolicy:
                loadBalancer:
                  simple: LEAST_REQUEST
                  localityLbSetting:
                    enabled: true
                    distribute:
                    - from: us-west/zone1/*
                      to: {"us-west/zone1/*": 80, "us-west/zone2/*": 20}
                    failoverPriority: [topology.istio.io/network]
                  warmup: {duration: 1.5s, minimumPercent: 10, aggression: 1.5}
                connectionPool:
                  tcp:
                    maxConnections: 100
                    connectTimeout: 30ms
                    tcpKeepalive: {probes: 3, time: 7200s, interval: 75s}
                    maxConnectionDuration: 1h
                    idleTimeout: 10m
                  http:
                    http1MaxPendingRequests: 10
                    http2MaxRequests: 1000
                    maxRequestsPerConnection: 1
                    maxRetries: 3
                    idleTimeout: 30s
                    h2UpgradePolicy: UPGRADE
                    useClientProtocol: false
                    maxConcurrentStreams: 100
                    http2KeepAlive: {interval: 15s, timeout: 5s}
                outlierDetection:
                  consecutiveGatewayErrors: 3
                  consecutive5xxErrors: 7
                  splitExternalLocalOriginErrors: true
                  consecutiveLocalOriginFailures: 4
                  interval: 5m
                  baseEjectionTime: 15m
                  maxEjectionPercent: 50
                  minHealthPercent: 20
                  outlierDetectionHttpErrorCodes: [500, 503]
                tls:
                  mode: MUTUAL
                  clientCertificate: /etc/certs/cert.pem
                  privateKey: /etc/certs/key.pem
                  caCertificates: /etc/certs/ca.pem
                  caCrl: /etc/certs/crl.pem
                  subjectAltNames: [reviews.shop]
                  sni: reviews.example.com
                  insecureSkipVerify: false
                portLevelSettings:
                - port: {number: 9080}
                  loadBalancer:
                    consistentHash:
                      httpCookie:
                        name: session
                        path: /
                        ttl: 0s
                        attributes: [{name: SameSite, value: Strict}, {name: Secure}]
                      ringHash: {minimumRingSize: 1024}
                  connectionPool:
                    tcp: {maxConnections: 5}
                  outlierDetection: {consecutive5xxErrors: 2}
                  tls: {mode: ISTIO_MUTUAL}
                retryBudget: {percent: 25.5, minRetryConcurrency: 3, budgetInterval: 10s}
              subsets:
              - name: v1
                labels: {version: v1}
                trafficPolicy:
                  loadBalancer:
                    consistentHash:
                      useSourceIp: true
                      maglev: {tableSize: 65537}
                  tunnel: {protocol: CONNECT, targetHost: egress.example.com, targetPort: 8443}
              - name: v2
                labels: {version: v2}
                trafficPolicy:
                  loadBalancer:
                    zoneAwareLbSetting:
                      enabled: true
                      failover: [{from: us-east, to: eu-west}]
                      failoverPriority: [topology.istio.io/network]
                      minClusterSize: 6
                    consistentHash: {httpQueryParameterName: user, minimumRingSize: 2048}
                  proxyProtocol: {version: V2}
              - name: v3
                labels: {version: v3}
                trafficPolicy:
                  loadBalancer: {simple: ROUND_ROBIN, warmupDurationSecs: 60s}
                  outlierDetection: {consecutive5xxErrors: 5}
            """;

    final CompiledConfig compiled = Compile.valid(FULL);
    final DestinationRule dr = Compile.only(compiled, DestinationRule.class);
    final TrafficPolicy policy = dr.trafficPolicy();

    @Test
    void hostSubsetsExportToAndSelector() {
        assertThat(dr.host()).isEqualTo("reviews.shop.svc.cluster.local");
        assertThat(dr.exportTo()).containsExactly(".");
        assertThat(dr.workloadSelector().matchLabels()).containsExactly(Map.entry("app", "frontend"));
        assertThat(dr.subsets()).extracting(DestinationRule.Subset::name).containsExactly("v1", "v2", "v3");
        assertThat(dr.subsets().get(0).labels()).containsExactly(Map.entry("version", "v1"));
    }

    @Test
    void loadBalancerWithLocalityAndWarmup() {
        LoadBalancerSettings lb = policy.loadBalancer();
        assertThat(lb.simple()).isEqualTo(LoadBalancerSettings.Simple.LEAST_REQUEST);
        assertThat(lb.localityLbSetting().enabled()).isTrue();
        assertThat(lb.localityLbSetting().distribute().get(0).to())
                .containsExactly(Map.entry("us-west/zone1/*", 80), Map.entry("us-west/zone2/*", 20));
        assertThat(lb.localityLbSetting().failoverPriority()).containsExactly("topology.istio.io/network");
        assertThat(lb.warmup().duration()).isEqualTo(Duration.ofMillis(1500));
        assertThat(lb.warmup().minimumPercent()).isEqualTo(10.0);
        assertThat(lb.warmup().aggression()).isEqualTo(1.5);
    }

    @Test
    void connectionPoolAndOutlierDetection() {
        var tcp = policy.connectionPool().tcp();
        assertThat(tcp.maxConnections()).isEqualTo(100);
        assertThat(tcp.connectTimeout()).isEqualTo(Duration.ofMillis(30));
        assertThat(tcp.tcpKeepalive().probes()).isEqualTo(3L);
        assertThat(tcp.tcpKeepalive().time()).isEqualTo(Duration.ofHours(2));
        assertThat(tcp.maxConnectionDuration()).isEqualTo(Duration.ofHours(1));
        var http = policy.connectionPool().http();
        assertThat(http.h2UpgradePolicy()).isEqualTo(H2UpgradePolicy.UPGRADE);
        assertThat(http.useClientProtocol()).isFalse();
        assertThat(http.http2KeepAlive().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(http.maxConcurrentStreams()).isEqualTo(100);
        var outlier = policy.outlierDetection();
        assertThat(outlier.consecutive5xxErrors()).isEqualTo(7L);
        assertThat(outlier.consecutiveErrors()).isNull();
        assertThat(outlier.baseEjectionTime()).isEqualTo(Duration.ofMinutes(15));
        assertThat(outlier.outlierDetectionHttpErrorCodes()).containsExactly(500, 503);
    }

    @Test
    void clientTlsAndRetryBudget() {
        ClientTls tls = policy.tls();
        assertThat(tls.mode()).isEqualTo(ClientTls.Mode.MUTUAL);
        assertThat(tls.subjectAltNames()).containsExactly("reviews.shop");
        assertThat(tls.sni()).isEqualTo("reviews.example.com");
        assertThat(tls.insecureSkipVerify()).isFalse();
        assertThat(tls.credentialName()).isEmpty();
        assertThat(policy.retryBudget().percent()).isEqualTo(25.5);
        assertThat(policy.retryBudget().budgetInterval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void portLevelSettingsWithCookieHash() {
        var port = policy.portLevelSettings().get(0);
        assertThat(port.port()).isEqualTo(9080);
        var hash = port.loadBalancer().consistentHash();
        assertThat(hash.hashKey()).isEqualTo(new HttpCookie("session", "/", Duration.ZERO,
                List.of(new CookieAttribute("SameSite", "Strict"), new CookieAttribute("Secure", ""))));
        assertThat(hash.hashAlgorithm()).isEqualTo(new RingHash(1024L));
        assertThat(port.tls().mode()).isEqualTo(ClientTls.Mode.ISTIO_MUTUAL);
    }

    @Test
    void subsetPoliciesWithMaglevTunnelZoneAwareAndProxyProtocol() {
        var v1 = dr.subsets().get(0).trafficPolicy();
        assertThat(v1.loadBalancer().consistentHash().hashKey()).isEqualTo(new UseSourceIp(true));
        assertThat(v1.loadBalancer().consistentHash().hashAlgorithm()).isEqualTo(new Maglev(65537L));
        assertThat(v1.tunnel()).isEqualTo(new TrafficPolicy.Tunnel("CONNECT", "egress.example.com", 8443));
        var v2 = dr.subsets().get(1).trafficPolicy();
        assertThat(v2.loadBalancer().zoneAwareLbSetting().minClusterSize()).isEqualTo(6L);
        assertThat(v2.loadBalancer().consistentHash().minimumRingSize()).isEqualTo(2048L);
        assertThat(v2.proxyProtocol().version()).isEqualTo(ProxyProtocol.Version.V2);
        assertThat(dr.subsets().get(2).trafficPolicy().loadBalancer().warmupDurationSecs())
                .isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void whatTheReconcilerDoesNotApplyIsSaid() {
        // Load balancing, circuit breakers, outlier detection (issue 7) and tls (but credentialName) are applied;
        // the rest is said.
        assertThat(Compile.warningPaths(compiled, "ML0011")).containsExactlyInAnyOrder(
                "spec.workloadSelector", "spec.trafficPolicy.loadBalancer.localityLbSetting",
                "spec.trafficPolicy.loadBalancer.warmup", "spec.trafficPolicy.connectionPool.tcp.tcpKeepalive",
                "spec.trafficPolicy.connectionPool.tcp.maxConnectionDuration",
                "spec.trafficPolicy.connectionPool.tcp.idleTimeout",
                "spec.trafficPolicy.connectionPool.http.h2UpgradePolicy",
                "spec.trafficPolicy.connectionPool.http.useClientProtocol",
                "spec.trafficPolicy.connectionPool.http.maxConcurrentStreams",
                "spec.trafficPolicy.connectionPool.http.http2KeepAlive",
                "spec.trafficPolicy.outlierDetection.outlierDetectionHttpErrorCodes",
                "spec.trafficPolicy.retryBudget",
                "spec.subsets[0].trafficPolicy.tunnel", "spec.subsets[1].trafficPolicy.loadBalancer.zoneAwareLbSetting",
                "spec.subsets[1].trafficPolicy.proxyProtocol",
                "spec.subsets[2].trafficPolicy.loadBalancer.warmupDurationSecs");
        assertThat(Compile.warningPaths(compiled, "DR0034")).containsExactly(
                "spec.subsets[1].trafficPolicy.loadBalancer.consistentHash.minimumRingSize");
    }

    @Test
    void defaultsOfAMinimalRule() {
        DestinationRule minimal = Compile.only(Compile.valid("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: r}
                spec:
                  host: reviews
                  trafficPolicy:
                    tls: {}
                    proxyProtocol: {}
                """), DestinationRule.class);
        assertThat(minimal.subsets()).isEmpty();
        assertThat(minimal.exportTo()).isEmpty();
        assertThat(minimal.workloadSelector()).isNull();
        assertThat(minimal.trafficPolicy().loadBalancer()).isNull();
        assertThat(minimal.trafficPolicy().tls().mode()).isEqualTo(ClientTls.Mode.DISABLE);
        assertThat(minimal.trafficPolicy().proxyProtocol().version()).isEqualTo(ProxyProtocol.Version.V1);
    }
}
