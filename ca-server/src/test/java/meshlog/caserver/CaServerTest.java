package meshlog.caserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import meshlog.ca.CertificateAuthority;
import meshlog.ca.Csrs;
import meshlog.ca.JoinTokens;
import meshlog.ca.WorkloadIdentity;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The certificate API over real TLS on 127.0.0.1, with TokenReview answered by fabric8's mock API server (no
 * kube-apiserver can run here): each way of proving an identity, and each refusal, as a caller sees it.
 */
class CaServerTest {

    private static final String REVIEWS = "spiffe://cluster.local/ns/default/sa/reviews";

    @TempDir
    Path dir;
    private FakeApiServer api;
    private CertificateAuthority ca;
    private JoinTokens tokens;
    private CaServer server;
    private CertificateClient anonymous;

    @BeforeEach
    void start() throws Exception {
        api = new FakeApiServer();
        Path credential = Files.writeString(dir.resolve("reviewer-token"), FakeApiServer.REVIEWER_CREDENTIAL + "\n");
        ca = CertificateAuthority.open(dir.resolve("ca"), "cluster.local", Clock.systemUTC());
        tokens = JoinTokens.open(dir.resolve("ca"), Clock.systemUTC());
        server = CaServer.start("127.0.0.1", 0, ca, tokens, List.of("east", "west"),
                Map.of("east", new CaServer.KubeApi(api.url(), credential, null)), Clock.systemUTC());
        anonymous = new CertificateClient("127.0.0.1", server.port(), ca.trustBundlePem(), null, null);
    }

    @AfterEach
    void stop() throws Exception {
        anonymous.close();
        server.close();
        api.close();
    }

    @Test
    void aKubernetesTokenGetsItsServiceAccountWhateverTheCsrAsks() throws Exception {
        KeyPair keys = Csrs.ec("secp256r1");
        String token = api.token("default", "reviews", "istio-ca");

        List<String> chain = anonymous.create(Csrs.csr(keys, "spiffe://cluster.local/ns/istio-system/sa/istiod"),
                0, token, "east");

        assertThat(chain).hasSize(3).allSatisfy(pem -> assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----")
                .endsWith("-----END CERTIFICATE-----\n"));
        X509Certificate leaf = certificate(chain.get(0));
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(6, REVIEWS));
        assertThat(leaf.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofHours(24).plusMinutes(1));
        assertThat(chain.get(2)).isEqualTo(ca.trustBundlePem());
        verifiesToRoot(chain);
        assertThat(api.reviews.get()).isEqualTo(1);
    }

    @Test
    void aTokenForAnotherAudienceOrUnknownOrFromAClusterWithoutApiIsRefused() throws Exception {
        String csr = Csrs.csr(Csrs.ec("secp256r1"), REVIEWS);
        String wrongAudience = api.token("default", "reviews", "https://kubernetes.default.svc");

        assertRefused(() -> anonymous.create(csr, 0, wrongAudience, "east"), Status.Code.UNAUTHENTICATED,
                "the service account token is refused by cluster east: [invalid bearer token, token audiences"
                        + " [\"https://kubernetes.default.svc\"] is invalid for the target audiences"
                        + " [\"istio-ca\"]]");
        assertRefused(() -> anonymous.create(csr, 0, "eyJhbGciOiJSUzI1NiJ9.forged.x", "east"),
                Status.Code.UNAUTHENTICATED, "the service account token is refused by cluster east: invalid bearer"
                        + " token");
        assertRefused(() -> anonymous.create(csr, 0, api.token("default", "reviews", "istio-ca"), "west"),
                Status.Code.UNAUTHENTICATED, "a Kubernetes token from cluster west, but the CA has no API server for"
                        + " it (--kube-api west=URL); it has one for east");
        assertRefused(() -> anonymous.create(csr, 0, null, "east"), Status.Code.UNAUTHENTICATED,
                "not authenticated: no client certificate; no authorization: Bearer token");
        assertRefused(() -> anonymous.create(csr, 0, "x", "north"), Status.Code.INVALID_ARGUMENT,
                "metadata clusterid \"north\" is not a cluster of this mesh: one of east, west");
    }

    @Test
    void aJoinTokenWorksOnceAndNotAfterExpiry() throws Exception {
        String token = tokens.create(new WorkloadIdentity("legacy", "billing-vm"), Duration.ofHours(1));
        String csr = Csrs.csr(Csrs.rsa(2048), REVIEWS);

        assertRefused(() -> anonymous.create("not a csr", 0, token, "west"), Status.Code.INVALID_ARGUMENT,
                "csr is not a PEM CERTIFICATE REQUEST (PKCS#10)");
        List<String> chain = anonymous.create(csr, 3600, token, "west");

        assertThat(certificate(chain.get(0)).getSubjectAlternativeNames())
                .containsExactly(List.of(6, "spiffe://cluster.local/ns/legacy/sa/billing-vm"));
        verifiesToRoot(chain);
        assertRefused(() -> anonymous.create(csr, 0, token, "west"), Status.Code.UNAUTHENTICATED,
                "join token was already used");
        String expired = JoinTokens.open(dir.resolve("ca"), Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)))
                .create(new WorkloadIdentity("legacy", "billing-vm"), Duration.ofHours(1));
        assertRefused(() -> anonymous.create(csr, 0, expired, "west"), Status.Code.UNAUTHENTICATED,
                "join token expired at ");
    }

    @Test
    void aMeshCertificateRenewsItselfAndOnlyItself() throws Exception {
        KeyPair first = Csrs.ec("secp256r1");
        List<String> chain = anonymous.create(Csrs.csr(first, REVIEWS), 0, api.token("default", "reviews",
                "istio-ca"), "east");
        String key = pkcs8(first);

        try (CertificateClient renewing = new CertificateClient("127.0.0.1", server.port(), ca.trustBundlePem(), chain.get(0) + chain.get(1), key)) {
            List<String> renewed = renewing.create(Csrs.csr(Csrs.ec("secp256r1"),
                    "spiffe://cluster.local/ns/kube-system/sa/admin"), 0, null, "east");

            assertThat(certificate(renewed.get(0)).getSubjectAlternativeNames())
                    .containsExactly(List.of(6, REVIEWS));
            verifiesToRoot(renewed);
        }
        assertThat(api.reviews.get()).isEqualTo(1);
    }

    @Test
    void aCertificateFromAnotherMeshIsNotAccepted() throws Exception {
        CertificateAuthority other = CertificateAuthority.open(dir.resolve("other"), "cluster.local",
                Clock.systemUTC());
        var foreign = other.issue("east", "default", "reviews");

        try (CertificateClient stranger = new CertificateClient("127.0.0.1", server.port(), ca.trustBundlePem(), foreign.certificateChainPem(),
                foreign.privateKeyPem())) {
            assertThatThrownBy(() -> stranger.create(Csrs.csr(Csrs.ec("secp256r1"), REVIEWS), 0, null, "east"))
                    .isInstanceOf(StatusRuntimeException.class)
                    .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode())
                            .isEqualTo(Status.Code.UNAVAILABLE));
        }
    }

    @Test
    void badRequestsAreInvalidArgumentWithTheReason() throws Exception {
        String token = api.token("default", "reviews", "istio-ca");

        assertRefused(() -> anonymous.create(Csrs.csr(Csrs.ec("secp256r1"), REVIEWS), 90L * 86400 + 1, token,
                "east"), Status.Code.INVALID_ARGUMENT, "requested validity_duration 7776001 s is greater than the"
                + " maximum 7776000 s (90 days)");
        assertRefused(() -> anonymous.create(Csrs.csr(Csrs.ec("secp384r1"), REVIEWS), 0, token, "east"),
                Status.Code.INVALID_ARGUMENT, "csr has an EC key on a curve other than P-256: use ECDSA P-256 or"
                        + " RSA 2048");
        assertRefused(() -> anonymous.create("x".repeat(70_000), 0, token, "east"),
                Status.Code.RESOURCE_EXHAUSTED, "");
        List<String> ninetyDays = anonymous.create(Csrs.csr(Csrs.ec("secp256r1"), REVIEWS), 90L * 86400, token,
                null);
        assertThat(certificate(ninetyDays.get(0)).getNotAfter().toInstant())
                .isBetween(Instant.now().plus(Duration.ofDays(90)).minusSeconds(60), Instant.now()
                        .plus(Duration.ofDays(90)));
    }

    private static void assertRefused(ThrowingCallable call, Status.Code code, String messageStart) {
        assertThatThrownBy(call).isInstanceOf(StatusRuntimeException.class).satisfies(e -> {
            Status status = ((StatusRuntimeException) e).getStatus();
            assertThat(status.getCode()).isEqualTo(code);
            assertThat(String.valueOf(status.getDescription())).startsWith(messageStart);
        });
    }

    /** PKIX validation with the JDK: leaf and intermediate from the response, anchored at its last element. */
    private static void verifiesToRoot(List<String> chain) throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(certificate(chain.get(2)), null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(Arrays.asList(
                certificate(chain.get(0)), certificate(chain.get(1)))), parameters);
    }

    private static X509Certificate certificate(String pem) {
        return ServingTls.certificates(pem)[0];
    }

    private static String pkcs8(KeyPair keys) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keys.getPrivate(), null));
        }
        return out.toString();
    }
}
