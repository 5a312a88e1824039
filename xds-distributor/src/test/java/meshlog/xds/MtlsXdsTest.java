package meshlog.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import meshlog.ca.CertificateAuthority;
import meshlog.ca.WorkloadCertificate;
import meshlog.caserver.CaServer;
import meshlog.caserver.ServingTls;
import meshlog.xds.grpc.EdgeLimits;
import meshlog.xds.grpc.XdsTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authenticated xDS: on the mTLS port a proxy is who its client certificate says, and node metadata claiming someone
 * else is refused; the plaintext port serves routing, never secrets.
 */
class MtlsXdsTest {

    @TempDir
    Path dir;
    CertificateAuthority ca;
    ServingTls tls;
    XdsDistributor east;
    final java.util.concurrent.atomic.AtomicInteger issued = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeEach
    void start() {
        ca = CertificateAuthority.open(dir.resolve("ca"), "cluster.local", Clock.systemUTC());
        ca.ensureCluster("east");
        tls = ServingTls.start(ca, "east", TlsServerCredentials.ClientAuth.REQUIRE, Clock.systemUTC());
        IdentityIssuer issuer = new IdentityIssuer() {
            @Override
            public Identity issue(String cluster, String namespace, String serviceAccount) {
                issued.incrementAndGet();
                WorkloadCertificate c = ca.issue(cluster, namespace, serviceAccount);
                return new Identity(c.certificateChainPem(), c.privateKeyPem(), c.renewAt());
            }

            @Override
            public String trustBundlePem() {
                return ca.trustBundlePem();
            }
        };
        east = XdsDistributor.start("east", "127.0.0.1", 0, issuer, s -> { }, EdgeLimits.DEFAULTS,
                new XdsTransport(0, tls.credentials(), "cluster.local", false));
        east.accept(Mesh.split("east", Map.of("a", 100), Map.of("a", 1)));
    }

    @AfterEach
    void stop() {
        east.close();
        tls.close();
    }

    @Test
    void aProxyWithACertificateOfItsOwnIdentityIsServedRoutingButNeverAKey() throws Exception {
        try (RawAds ads = new RawAds(mtls(ca.issue("east", "ns1", "sa1")), node("ns1", "sa1"))) {
            ads.request(Resources.V3.LISTENER_TYPE_URL, List.of(Mesh.SERVICE), "", "");
            DiscoveryResponse listeners = ads.next(Duration.ofSeconds(10));
            assertThat(listeners).as("routing over mTLS").isNotNull();
            assertThat(listeners.getResourcesCount()).isEqualTo(1);

            ads.request(Resources.V3.SECRET_TYPE_URL, List.of("default", "ROOTCA"), "", "");
            DiscoveryResponse secrets = ads.next(Duration.ofSeconds(3));
            assertThat(secrets == null ? List.of() : secrets.getResourcesList())
                    .as("its agent serves its secrets; the distributor has no key to give").isEmpty();
            assertThat(issued.get()).as("keys minted by the distributor").isZero();
        }
    }

    @Test
    void aProxyClaimingAnotherNamespaceIsRefusedWithPermissionDeniedNamingBoth() throws Exception {
        try (RawAds ads = new RawAds(mtls(ca.issue("east", "team-a", "web")), node("team-b", "web"))) {
            ads.request(Resources.V3.SECRET_TYPE_URL, List.of("default"), "", "");
            Status status = ads.awaitClose(Duration.ofSeconds(10));

            assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(status.getDescription()).contains("spiffe://cluster.local/ns/team-a/sa/web",
                    "namespace 'team-a'", "claims namespace 'team-b' and service account 'web'");
            assertThat(ads.next(Duration.ZERO)).as("nothing was served").isNull();
        }
    }

    @Test
    void aProxyClaimingAnotherServiceAccountIsRefusedToo() throws Exception {
        try (RawAds ads = new RawAds(mtls(ca.issue("east", "ns1", "reader")), node("ns1", "admin"))) {
            ads.request(Resources.V3.CLUSTER_TYPE_URL, List.of(), "", "");
            Status status = ads.awaitClose(Duration.ofSeconds(10));

            assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(status.getDescription()).contains("service account 'reader'",
                    "claims namespace 'ns1' and service account 'admin'");
        }
    }

    @Test
    void metadataForgingTheDistributorsOwnMarksGainsNothingOnThePlaintextPort() throws Exception {
        Map<String, String> forged = new java.util.HashMap<>(XdsClients.metadata("east", "ns1", "sa1"));
        forged.put("MESHLOG_SECRETS", "served");
        forged.put("MESHLOG_PEER_SPIFFE_ID", "spiffe://cluster.local/ns/ns1/sa/sa1");
        try (RawAds ads = new RawAds(east.address(), RawAds.node("forger", forged))) {
            ads.request(Resources.V3.SECRET_TYPE_URL, List.of("default", "ROOTCA"), "", "");
            DiscoveryResponse response = ads.next(Duration.ofSeconds(3));
            assertThat(response == null ? List.of() : response.getResourcesList()).as("no secret").isEmpty();
        }
    }

    @Test
    void thePlaintextPortServesRoutingButNoSecret() throws Exception {
        try (RawAds ads = new RawAds(east.address(), RawAds.node("plain", XdsClients.metadata("east", "ns1",
                "sa1")))) {
            ads.request(Resources.V3.SECRET_TYPE_URL, List.of("default", "ROOTCA"), "", "");
            DiscoveryResponse secrets = ads.next(Duration.ofSeconds(3));
            assertThat(secrets == null ? List.of() : secrets.getResourcesList()).as("no secret").isEmpty();

            ads.request(Resources.V3.LISTENER_TYPE_URL, List.of(Mesh.SERVICE), "", "");
            DiscoveryResponse listeners = ads.next(Duration.ofSeconds(10));
            assertThat(listeners).as("routing is still served").isNotNull();
            assertThat(listeners.getTypeUrl()).isEqualTo(Resources.V3.LISTENER_TYPE_URL);
            assertThat(listeners.getResourcesCount()).isEqualTo(1);
        }
    }

    private ManagedChannel mtls(WorkloadCertificate client) throws Exception {
        var credentials = TlsChannelCredentials.newBuilder()
                .trustManager(stream(ca.trustBundlePem()))
                .keyManager(stream(client.certificateChainPem()), stream(client.privateKeyPem()))
                .build();
        return Grpc.newChannelBuilder("127.0.0.1:" + east.tlsPort(), credentials)
                .overrideAuthority(CaServer.DNS_NAMES.get(0)).build();
    }

    private static ByteArrayInputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
    }

    private static io.envoyproxy.envoy.config.core.v3.Node node(String namespace, String serviceAccount) {
        return RawAds.node("sidecar~10.0.0.7~web-1." + namespace + "~" + namespace + ".svc.cluster.local",
                XdsClients.metadata("east", namespace, serviceAccount));
    }

}
