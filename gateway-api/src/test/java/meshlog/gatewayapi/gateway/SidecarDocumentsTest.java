package meshlog.gatewayapi.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.model.ListenerPort;
import meshlog.gatewayapi.model.ServerTlsSettings.Mode;
import meshlog.gatewayapi.model.ServerTlsSettings.TlsProtocol;
import meshlog.gatewayapi.model.Sidecar;
import meshlog.gatewayapi.model.Sidecar.CaptureMode;
import meshlog.gatewayapi.model.Sidecar.EgressListener;
import meshlog.gatewayapi.model.Sidecar.EgressProxy;
import meshlog.gatewayapi.model.Sidecar.IngressListener;
import meshlog.gatewayapi.model.Sidecar.OutboundTrafficPolicy;
import meshlog.gatewayapi.model.Sidecar.PortSelector;
import meshlog.gatewayapi.model.TrafficPolicy.ConnectionPool;
import meshlog.gatewayapi.model.TrafficPolicy.ConnectionPool.H2UpgradePolicy;
import meshlog.gatewayapi.model.TrafficPolicy.ConnectionPool.Http;
import meshlog.gatewayapi.model.TrafficPolicy.ConnectionPool.Http2KeepAlive;
import meshlog.gatewayapi.model.TrafficPolicy.ConnectionPool.Tcp;
import meshlog.gatewayapi.model.TrafficPolicy.ConnectionPool.TcpKeepalive;
import meshlog.gatewayapi.parse.ConfigParser;
import org.junit.jupiter.api.Test;

/** A Sidecar using every field Istio defines is read in full and accepted. */
class SidecarDocumentsTest {

    static final String EVERY_FIELD = """
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata: {name: ratings, namespace: bookinfo}
            spec:
              workloadSelector:
                labels: {app: ratings}
              ingress:
              - port: {number: 9443, protocol: HTTPS, name: https-in}
                bind: 0.0.0.0
                captureMode: IPTABLES
                defaultEndpoint: 127.0.0.1:8443
                tls:
                  mode: MUTUAL
                  serverCertificate: /etc/certs/server.pem
                  privateKey: /etc/certs/key.pem
                  caCertificates: /etc/certs/ca.pem
                  caCrl: /etc/certs/crl.pem
                  verifyCertificateSpki: [MzI4MzRiZjYxZTFkYjExZjQ3NTBlZTQwZmEwYWI0MjM=]
                  verifyCertificateHash: ["AB:CD"]
                  minProtocolVersion: TLSV1_2
                  maxProtocolVersion: TLSV1_3
                  cipherSuites: [ECDHE-ECDSA-AES256-GCM-SHA384]
                connectionPool:
                  tcp:
                    maxConnections: 100
                    connectTimeout: 1.5s
                    tcpKeepalive: {probes: 3, time: 7200s, interval: 75s}
                    maxConnectionDuration: 1h
                    idleTimeout: 0s
              - port: {number: 9080, protocol: HTTP, name: http-in}
                defaultEndpoint: unix:///var/run/app.sock
                connectionPool:
                  http:
                    http1MaxPendingRequests: 10
                    http2MaxRequests: 20
                    maxRequestsPerConnection: 1
                    maxRetries: 3
                    idleTimeout: 250ms
                    h2UpgradePolicy: UPGRADE
                    useClientProtocol: false
                    maxConcurrentStreams: 50
                    http2KeepAlive: {interval: 30s, timeout: 5s}
              egress:
              - port: {number: 3306, protocol: MYSQL, name: mysql}
                bind: 127.0.0.1
                captureMode: NONE
                hosts: [./mysql.db.svc.cluster.local]
              - port: {number: 0, protocol: HTTP, name: uds}
                bind: unix:///var/run/egress.sock
                captureMode: DEFAULT
                hosts: [istio-system/*]
              - hosts: ["./*", "istio-system/*", "~/*"]
              inboundConnectionPool:
                tcp: {maxConnections: 10}
                http: {http1MaxPendingRequests: 5}
              outboundTrafficPolicy:
                mode: ALLOW_ANY
                egressProxy:
                  host: egress.istio-system.svc.cluster.local
                  subset: v1
                  port: {number: 3128}
            """;

    @Test
    void everyFieldIsReadAndTheSidecarIsAccepted() {
        CompiledConfig c = compile(EVERY_FIELD);

        assertThat(c.errors()).isEmpty();
        // Applied: the selector, egress hosts and ports, the outbound mode, ingress ports, IP binds, capture modes
        // and default endpoints; everything else is said to be not applied yet.
        assertThat(c.warnings()).extracting(Diagnostic::code, Diagnostic::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple("ML0011", "spec.ingress[0].tls"),
                org.assertj.core.groups.Tuple.tuple("ML0011", "spec.ingress[0].connectionPool"),
                org.assertj.core.groups.Tuple.tuple("ML0011", "spec.ingress[1].connectionPool"),
                org.assertj.core.groups.Tuple.tuple("ML0011", "spec.egress[0].bind"),
                org.assertj.core.groups.Tuple.tuple("ML0011", "spec.egress[0].captureMode"),
                org.assertj.core.groups.Tuple.tuple("ML0011", "spec.egress[1].port"),
                org.assertj.core.groups.Tuple.tuple("ML0011", "spec.egress[1].bind"),
                org.assertj.core.groups.Tuple.tuple("ML0011", "spec.egress[1].captureMode"),
                org.assertj.core.groups.Tuple.tuple("ML0011", "spec.inboundConnectionPool"),
                org.assertj.core.groups.Tuple.tuple("ML0011", "spec.outboundTrafficPolicy.egressProxy"));
        Sidecar sc = (Sidecar) c.resources().get(0).resource();
        assertThat(sc.workloadSelector().labels()).isEqualTo(Map.of("app", "ratings"));
        IngressListener https = sc.ingress().get(0);
        assertThat(https.port()).isEqualTo(new ListenerPort(9443, "HTTPS", "https-in", 0));
        assertThat(https.bind()).isEqualTo("0.0.0.0");
        assertThat(https.captureMode()).isEqualTo(CaptureMode.IPTABLES);
        assertThat(https.defaultEndpoint()).isEqualTo("127.0.0.1:8443");
        assertThat(https.tls().mode()).isEqualTo(Mode.MUTUAL);
        assertThat(https.tls().caCrl()).isEqualTo("/etc/certs/crl.pem");
        assertThat(https.tls().maxProtocolVersion()).isEqualTo(TlsProtocol.TLSV1_3);
        assertThat(https.connectionPool()).isEqualTo(new ConnectionPool(new Tcp(100, Duration.ofMillis(1500),
                new TcpKeepalive(3L, Duration.ofHours(2), Duration.ofSeconds(75)), Duration.ofHours(1), Duration.ZERO),
                null));
        IngressListener http = sc.ingress().get(1);
        assertThat(http.captureMode()).isEqualTo(CaptureMode.DEFAULT);
        assertThat(http.bind()).isEmpty();
        assertThat(http.tls()).isNull();
        assertThat(http.connectionPool().http()).isEqualTo(new Http(10, 20, 1, 3, Duration.ofMillis(250),
                H2UpgradePolicy.UPGRADE, false, 50, new Http2KeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(5))));
        assertThat(sc.egress()).containsExactly(
                new EgressListener(new ListenerPort(3306, "MYSQL", "mysql", 0), "127.0.0.1", CaptureMode.NONE,
                        List.of("./mysql.db.svc.cluster.local")),
                new EgressListener(new ListenerPort(0, "HTTP", "uds", 0), "unix:///var/run/egress.sock",
                        CaptureMode.DEFAULT, List.of("istio-system/*")),
                new EgressListener(null, "", CaptureMode.DEFAULT, List.of("./*", "istio-system/*", "~/*")));
        assertThat(sc.inboundConnectionPool().tcp().maxConnections()).isEqualTo(10);
        assertThat(sc.inboundConnectionPool().http().http1MaxPendingRequests()).isEqualTo(5);
        assertThat(sc.inboundConnectionPool().http().h2UpgradePolicy()).as("not written").isNull();
        assertThat(sc.outboundTrafficPolicy()).isEqualTo(new OutboundTrafficPolicy(OutboundTrafficPolicy.Mode.ALLOW_ANY,
                new EgressProxy("egress.istio-system.svc.cluster.local", "v1", new PortSelector(3128))));
    }

    @Test
    void anOutboundPolicyWithoutModeIsRegistryOnly() {
        CompiledConfig c = compile("""
                apiVersion: networking.istio.io/v1beta1
                kind: Sidecar
                metadata: {name: default, namespace: bookinfo}
                spec:
                  outboundTrafficPolicy: {}
                """);

        assertThat(c.errors()).isEmpty();
        Sidecar sc = (Sidecar) c.resources().get(0).resource();
        assertThat(sc.outboundTrafficPolicy().mode()).isEqualTo(OutboundTrafficPolicy.Mode.REGISTRY_ONLY);
        assertThat(sc.workloadSelector()).isNull();
        assertThat(sc.ingress()).isEmpty();
    }

    @Test
    void theDocumentJsonReadsBackToTheSameSidecar() {
        CompiledConfig c = compile(EVERY_FIELD);

        var p = c.resources().get(0);
        var again = ConfigParser.parseJson(p.file(), p.json());
        assertThat(again.diagnostics()).isEmpty();
        assertThat(again.resources()).extracting(r -> r.resource()).containsExactly(p.resource());
    }

    static CompiledConfig compile(String yaml) {
        return ConfigCompiler.compile(Map.of("sidecar.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
    }
}
