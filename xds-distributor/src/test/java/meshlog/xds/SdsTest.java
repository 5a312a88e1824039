package meshlog.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import meshlog.xds.grpc.EdgeLimits;
import meshlog.xds.grpc.XdsTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SDS over ADS: {@code default} (key and chain of the proxy's identity) and {@code ROOTCA} (the trust bundle). The
 * identity here is the claimed one, on the plaintext port with {@code --insecure-plaintext} on purpose: these tests
 * are about issuance and renewal; {@link MtlsXdsTest} is about who may claim what.
 */
class SdsTest {

    TestCa ca;
    XdsDistributor east;

    @BeforeEach
    void start() {
        ca = new TestCa(Clock.systemUTC());
        east = XdsDistributor.start("east", "127.0.0.1", 0, ca, status -> { }, EdgeLimits.DEFAULTS,
                XdsTransport.insecure());
    }

    @AfterEach
    void stop() {
        east.close();
    }

    @Test
    void servesTheWorkloadCertificateAndTheTrustBundle() throws Exception {
        Map<String, Secret> secrets = secretsFor("sidecar~10.0.0.7~web-1.ns1~ns1.svc.cluster.local", "ns1", "sa1");

        assertThat(secrets).containsOnlyKeys("default", "ROOTCA");
        Secret workload = secrets.get("default");
        assertThat(workload.hasTlsCertificate()).isTrue();
        assertThat(workload.getTlsCertificate().getPrivateKey().getInlineBytes().toStringUtf8()).contains("PRIVATE KEY");
        X509Certificate leaf = certificate(workload.getTlsCertificate().getCertificateChain().getInlineBytes().toByteArray());
        List<Object> sans = leaf.getSubjectAlternativeNames().stream().map(san -> san.get(1)).collect(Collectors.toList());
        assertThat(sans).containsExactly("spiffe://cluster.local/ns/ns1/sa/sa1");

        Secret roots = secrets.get("ROOTCA");
        assertThat(roots.hasValidationContext()).isTrue();
        X509Certificate root = certificate(roots.getValidationContext().getTrustedCa().getInlineBytes().toByteArray());
        assertThat(root).isEqualTo(ca.root());
        leaf.verify(root.getPublicKey());
    }

    @Test
    void issuesOnceForEachIdentityAndSharesItWithinTheGroup() throws Exception {
        Secret first = secretsFor("proxy-1", "ns1", "sa1").get("default");
        Secret second = secretsFor("proxy-2", "ns1", "sa1").get("default");
        Secret other = secretsFor("proxy-3", "ns1", "sa2").get("default");

        assertThat(second).isEqualTo(first);
        assertThat(other.getTlsCertificate().getCertificateChain())
                .isNotEqualTo(first.getTlsCertificate().getCertificateChain());
        assertThat(ca.issued("east/ns1/sa1")).isEqualTo(1);
        assertThat(ca.issued("east/ns1/sa2")).isEqualTo(1);
    }

    @Test
    void reissuesAnIdentityPastItsRenewalTimeOnTheNextSnapshotPush() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T00:00:00Z"));
        TestCa slowCa = new TestCa(clock);
        try (XdsDistributor west = XdsDistributor.start("west", "127.0.0.1", 0, slowCa, s -> { }, clock, true,
                EdgeLimits.DEFAULTS, XdsTransport.insecure())) {
            Secret first = secretsFor(west, "west", "proxy-1", "ns1", "sa1").get("default");
            clock.advance(TestCa.LIFETIME.dividedBy(2).plusMinutes(1));
            assertThat(secretsFor(west, "west", "proxy-1", "ns1", "sa1").get("default")).as("no push yet").isEqualTo(first);

            west.accept(Mesh.split("west", Map.of("a", 100), Map.of("a", 1)));
            Secret renewed = secretsFor(west, "west", "proxy-1", "ns1", "sa1").get("default");
            assertThat(renewed).isNotEqualTo(first);
            assertThat(slowCa.issued("west/ns1/sa1")).isEqualTo(2);
        }
    }

    @Test
    void aGroupNobodyIsConnectedToIsDroppedWithItsCertificateWhileConnectedOnesStay() throws Exception {
        secretsFor("sidecar~10.0.0.8~gone-1.ns2~ns2.svc.cluster.local", "ns2", "gone"); // connects, then leaves
        try (RawAds staying = new RawAds(east.address(), RawAds.node("stays", XdsClients.metadata("east", "ns3",
                "stays")))) {
            staying.request(Resources.V3.SECRET_TYPE_URL, List.of("default", "ROOTCA"), "", "");
            assertThat(staying.next(Duration.ofSeconds(10))).isNotNull();
            assertThat(east.groupCount()).isEqualTo(2);

            // The closed stream's watches go away asynchronously; the sweep keeps the group until they have.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                east.sweep();
                return east.groupCount() == 1;
            });
            assertThat(ca.issued("east/ns2/gone")).isEqualTo(1);
            secretsFor("sidecar~10.0.0.8~gone-1.ns2~ns2.svc.cluster.local", "ns2", "gone");
            assertThat(ca.issued("east/ns2/gone")).as("a returning group gets a fresh certificate").isEqualTo(2);
            assertThat(ca.issued("east/ns3/stays")).as("a connected group keeps its own").isEqualTo(1);
        }
    }

    Map<String, Secret> secretsFor(String nodeId, String namespace, String serviceAccount) throws Exception {
        return secretsFor(east, "east", nodeId, namespace, serviceAccount);
    }

    static Map<String, Secret> secretsFor(XdsDistributor distributor, String cluster, String nodeId,
                                          String namespace, String serviceAccount) throws Exception {
        try (RawAds ads = new RawAds(distributor.address(),
                RawAds.node(nodeId, XdsClients.metadata(cluster, namespace, serviceAccount)))) {
            ads.request(Resources.V3.SECRET_TYPE_URL, List.of("default", "ROOTCA"), "", "");
            DiscoveryResponse response = ads.next(Duration.ofSeconds(10));
            assertThat(response).as("an SDS response").isNotNull();
            assertThat(response.getTypeUrl()).isEqualTo(Resources.V3.SECRET_TYPE_URL);
            List<Secret> secrets = new ArrayList<>();
            for (Any resource : response.getResourcesList()) {
                secrets.add(resource.unpack(Secret.class));
            }
            return secrets.stream().collect(Collectors.toMap(Secret::getName, Function.identity()));
        }
    }

    static X509Certificate certificate(byte[] pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
    }
}
