package meshlog.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsrSigningTest {

    private static final Instant NOW = Instant.parse("2031-03-04T05:06:07Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final WorkloadIdentity REVIEWS = new WorkloadIdentity("default", "reviews");

    @TempDir
    Path dir;

    @Test
    void signsTheCsrKeyForTheGivenIdentityWhateverTheCsrAsks() throws Exception {
        CertificateAuthority ca = CertificateAuthority.open(dir, "cluster.local", CLOCK);
        KeyPair keys = Csrs.ec("secp256r1");
        CertificateRequest csr = CertificateRequest.parse(
                Csrs.csr(keys, "spiffe://cluster.local/ns/istio-system/sa/istiod"));

        SignedChain signed = ca.sign("east", csr, REVIEWS, CertificateAuthority.lifetime(0));

        assertThat(signed.spiffeId()).isEqualTo("spiffe://cluster.local/ns/default/sa/reviews");
        assertThat(signed.certificates()).hasSize(3).allSatisfy(pem -> assertThat(pem).endsWith("\n"));
        X509Certificate leaf = Pki.certificate(signed.certificates().get(0));
        assertThat(leaf.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(
                List.of(6, "spiffe://cluster.local/ns/default/sa/reviews"));
        assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofHours(24).plusMinutes(1));
        assertThat(signed.certificates().get(2)).isEqualTo(ca.trustBundlePem());
        Pki.validate(signed.certificates().get(0) + signed.certificates().get(1), ca.trustBundlePem(), NOW);
    }

    @Test
    void rsa2048IsAcceptedAndARequestedValidityIsKept() throws Exception {
        CertificateAuthority ca = CertificateAuthority.open(dir, "cluster.local", CLOCK);
        CertificateRequest csr = CertificateRequest.parse(Csrs.csr(Csrs.rsa(2048), "spiffe://x/ns/a/sa/b"));

        SignedChain signed = ca.sign("east", csr, REVIEWS, CertificateAuthority.lifetime(3600));

        assertThat(csr.keyDescription()).isEqualTo("RSA 2048");
        assertThat(signed.notAfter()).isEqualTo(NOW.plusSeconds(3600));
    }

    @Test
    void validityAsIstioDecidesIt() {
        assertThat(CertificateAuthority.lifetime(-5)).isEqualTo(Duration.ofHours(24));
        assertThat(CertificateAuthority.lifetime(90L * 86400)).isEqualTo(Duration.ofDays(90));
        assertThatThrownBy(() -> CertificateAuthority.lifetime(90L * 86400 + 1))
                .isInstanceOf(CsrRejectedException.class)
                .hasMessage("requested validity_duration 7776001 s is greater than the maximum 7776000 s (90 days)");
    }

    @Test
    void refusesWhatItCannotSign() throws Exception {
        String good = Csrs.csr(Csrs.ec("secp256r1"), "spiffe://x/ns/a/sa/b");
        String tampered = good.replace(good.substring(100, 104), flip(good.substring(100, 104)));
        assertRejected("", "csr is empty: expected a PEM CERTIFICATE REQUEST");
        assertRejected("hello", "csr is not a PEM CERTIFICATE REQUEST (PKCS#10)");
        assertRejected("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
                "csr is malformed: not a valid PEM CERTIFICATE REQUEST (PKCS#10)");
        assertRejected(good + good, "csr holds more than one PEM block");
        assertRejected("x".repeat(CertificateRequest.MAX_PEM_BYTES + 1), "csr is larger than 16384 bytes");
        assertRejected(Csrs.csr(Csrs.ec("secp384r1"), "spiffe://x/ns/a/sa/b"),
                "csr has an EC key on a curve other than P-256: use ECDSA P-256 or RSA 2048");
        assertRejected(Csrs.csr(Csrs.rsa(1024), "spiffe://x/ns/a/sa/b"),
                "csr has an RSA key of 1024 bits: use 2048 to 4096 bits");
        assertThatThrownBy(() -> CertificateRequest.parse(tampered)).isInstanceOf(CsrRejectedException.class)
                .hasMessageStartingWith("csr ");
    }

    @Test
    void aSignatureByAnotherKeyIsRefused() throws Exception {
        KeyPair a = Csrs.ec("secp256r1");
        KeyPair b = Csrs.ec("secp256r1");
        // b's signature over a request carrying a's key: what a CSR for someone else's key looks like.
        String forged = Csrs.csrWithSigner(a, b, "spiffe://x/ns/a/sa/b");
        assertRejected(forged, "csr signature does not verify with the csr's own public key");
    }

    @Test
    void spiffeIdsParseOnlyInTheTrustDomain() {
        assertThat(WorkloadIdentity.fromSpiffeId("cluster.local", "spiffe://cluster.local/ns/a/sa/b"))
                .contains(new WorkloadIdentity("a", "b"));
        for (String other : new String[] {"spiffe://other.local/ns/a/sa/b", "spiffe://cluster.local/ns/a/sa/b/c",
            "spiffe://cluster.local/ns/a/sa/B", "https://cluster.local/ns/a/sa/b", "spiffe://cluster.local/sa/b/ns/a",
            "spiffe://cluster.local/ns/a/sa/b?x=1", "::"}) {
            assertThat(WorkloadIdentity.fromSpiffeId("cluster.local", other)).as(other).isEmpty();
        }
    }

    private static void assertRejected(String pem, String message) {
        assertThatThrownBy(() -> CertificateRequest.parse(pem)).isInstanceOf(CsrRejectedException.class)
                .hasMessage(message);
    }

    private static String flip(String s) {
        return s.equals("AAAA") ? "BBBB" : "AAAA";
    }
}
