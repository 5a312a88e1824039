package meshlog.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.cert.CertPathValidatorException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {

    /** Not on a whole second, to check that X.509's whole seconds do not shift the validity periods. */
    private static final Instant NOW = Instant.parse("2031-03-04T05:06:07.890Z");
    private static final Instant NOW_SECONDS = Instant.parse("2031-03-04T05:06:07Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void issuedChainValidatesAgainstTheRoot() throws Exception {
        CertificateAuthority ca = CertificateAuthority.open(dir, "cluster.local", CLOCK);

        WorkloadCertificate cert = ca.issue("east", "default", "reviews");

        Pki.validate(cert.certificateChainPem(), ca.trustBundlePem(), NOW);
        assertThat(Pki.chain(cert.certificateChainPem())).hasSize(2);
    }

    @Test
    void issuedChainFailsAgainstAnotherCasRoot(@TempDir Path otherDir) {
        CertificateAuthority ca = CertificateAuthority.open(dir, "cluster.local", CLOCK);
        CertificateAuthority other = CertificateAuthority.open(otherDir, "cluster.local", CLOCK);

        WorkloadCertificate cert = ca.issue("east", "default", "reviews");

        assertThatThrownBy(() -> Pki.validate(cert.certificateChainPem(), other.trustBundlePem(), NOW))
                .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void leafIsAWorkloadIdentityNotACa() throws Exception {
        CertificateAuthority ca = CertificateAuthority.open(dir, "cluster.local", CLOCK);

        WorkloadCertificate cert = ca.issue("east", "bookinfo", "reviews-v2");
        X509Certificate leaf = Pki.chain(cert.certificateChainPem()).get(0);

        assertThat(cert.spiffeId()).isEqualTo("spiffe://cluster.local/ns/bookinfo/sa/reviews-v2");
        Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
        assertThat(sans).containsExactly(List.of(6, "spiffe://cluster.local/ns/bookinfo/sa/reviews-v2"));
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getCriticalExtensionOIDs()).contains("2.5.29.19"); // basicConstraints present, CA=false
        assertThat(leaf.getKeyUsage()).containsExactly(true, false, true, false, false, false, false, false, false);
        assertThat(leaf.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(leaf.getSubjectX500Principal().getName()).isEmpty();
        assertThat(leaf.getSerialNumber()).isPositive();
    }

    @Test
    void intermediateIsACaThatSignsOnlyWorkloads() throws Exception {
        CertificateAuthority ca = CertificateAuthority.open(dir, "cluster.local", CLOCK);

        List<X509Certificate> chain = Pki.chain(ca.issue("east", "default", "reviews").certificateChainPem());
        X509Certificate leaf = chain.get(0);
        X509Certificate intermediate = chain.get(1);
        X509Certificate root = Pki.certificate(ca.trustBundlePem());

        assertThat(intermediate.getBasicConstraints()).isZero();
        boolean[] keyUsage = intermediate.getKeyUsage();
        assertThat(keyUsage[5]).as("keyCertSign").isTrue();
        assertThat(keyUsage[6]).as("cRLSign").isTrue();
        assertThat(intermediate.getSubjectX500Principal().getName()).contains("east");
        assertThat(root.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(root.getSubjectX500Principal()).isEqualTo(root.getIssuerX500Principal());
        assertThat(authorityKeyId(leaf)).isEqualTo(subjectKeyId(intermediate)).isNotEmpty();
        assertThat(authorityKeyId(intermediate)).isEqualTo(subjectKeyId(root)).isNotEmpty();
        assertThat(subjectKeyId(leaf)).isNotEmpty();
    }

    @Test
    void everyKeyIsEcP256() throws Exception {
        CertificateAuthority ca = CertificateAuthority.open(dir, "cluster.local", CLOCK);

        WorkloadCertificate cert = ca.issue("east", "default", "reviews");
        List<X509Certificate> chain = Pki.chain(cert.certificateChainPem());

        assertThat(Pki.isP256(chain.get(0).getPublicKey())).isTrue();
        assertThat(Pki.isP256(chain.get(1).getPublicKey())).isTrue();
        assertThat(Pki.isP256(Pki.certificate(ca.trustBundlePem()).getPublicKey())).isTrue();
        assertThat(Pki.isP256(Pki.pkcs8(cert.privateKeyPem()))).isTrue();
        assertThat(chain).allSatisfy(c -> assertThat(c.getSigAlgName()).isEqualTo("SHA256withECDSA"));
    }

    @Test
    void validityPeriodsFollowIstiosDefaults() {
        CertificateAuthority ca = CertificateAuthority.open(dir, "cluster.local", CLOCK);

        WorkloadCertificate cert = ca.issue("east", "default", "reviews");
        List<X509Certificate> chain = Pki.chain(cert.certificateChainPem());
        X509Certificate root = Pki.certificate(ca.trustBundlePem());
        Instant backdated = NOW_SECONDS.minus(Duration.ofMinutes(1));

        assertThat(cert.notBefore()).isEqualTo(backdated).isEqualTo(chain.get(0).getNotBefore().toInstant());
        assertThat(cert.notAfter()).isEqualTo(NOW_SECONDS.plus(Duration.ofHours(24)))
                .isEqualTo(chain.get(0).getNotAfter().toInstant());
        assertThat(cert.renewAt()).isEqualTo(backdated.plus(Duration.ofSeconds((24 * 3600 + 60) / 2)));
        assertThat(chain.get(1).getNotBefore().toInstant()).isEqualTo(backdated);
        assertThat(chain.get(1).getNotAfter().toInstant()).isEqualTo(NOW_SECONDS.plus(Duration.ofDays(365)));
        assertThat(root.getNotBefore().toInstant()).isEqualTo(backdated);
        assertThat(root.getNotAfter().toInstant()).isEqualTo(NOW_SECONDS.plus(Duration.ofDays(3650)));
    }

    @Test
    void privateKeyBelongsToTheLeaf() throws Exception {
        CertificateAuthority ca = CertificateAuthority.open(dir, "cluster.local", CLOCK);

        WorkloadCertificate cert = ca.issue("east", "default", "reviews");
        WorkloadCertificate another = ca.issue("east", "default", "reviews");

        assertThat(cert.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
        X509Certificate leaf = Pki.chain(cert.certificateChainPem()).get(0);
        X509Certificate otherLeaf = Pki.chain(another.certificateChainPem()).get(0);
        assertThat(Pki.signsFor(Pki.pkcs8(cert.privateKeyPem()), leaf.getPublicKey())).isTrue();
        assertThat(Pki.signsFor(Pki.pkcs8(cert.privateKeyPem()), otherLeaf.getPublicKey())).isFalse();
        assertThat(leaf.getSerialNumber()).isNotEqualTo(otherLeaf.getSerialNumber());
    }

    @Test
    void trustDomainGoesIntoTheIdentity() throws Exception {
        CertificateAuthority ca = CertificateAuthority.open(dir, "prod.example.com", CLOCK);

        WorkloadCertificate cert = ca.issue("east", "default", "reviews");

        assertThat(ca.trustDomain()).isEqualTo("prod.example.com");
        assertThat(cert.spiffeId()).isEqualTo("spiffe://prod.example.com/ns/default/sa/reviews");
        assertThat(Pki.chain(cert.certificateChainPem()).get(0).getSubjectAlternativeNames())
                .containsExactly(List.of(6, "spiffe://prod.example.com/ns/default/sa/reviews"));
    }

    @Test
    void clustersHaveTheirOwnIntermediateUnderOneRoot() throws Exception {
        CertificateAuthority ca = CertificateAuthority.open(dir, "cluster.local", CLOCK);

        WorkloadCertificate east = ca.issue("east", "default", "reviews");
        WorkloadCertificate west = ca.issue("west", "default", "reviews");

        assertThat(Pki.chain(east.certificateChainPem()).get(1))
                .isNotEqualTo(Pki.chain(west.certificateChainPem()).get(1));
        Pki.validate(east.certificateChainPem(), ca.trustBundlePem(), NOW);
        Pki.validate(west.certificateChainPem(), ca.trustBundlePem(), NOW);
    }

    @Test
    void leafIsNotValidOutsideItsLifetime() {
        CertificateAuthority ca = CertificateAuthority.open(dir, "cluster.local", CLOCK);

        WorkloadCertificate cert = ca.issue("east", "default", "reviews");

        assertThatThrownBy(() -> Pki.validate(cert.certificateChainPem(), ca.trustBundlePem(),
                NOW.plus(Duration.ofHours(25)))).isInstanceOf(CertPathValidatorException.class);
        assertThatThrownBy(() -> Pki.validate(cert.certificateChainPem(), ca.trustBundlePem(),
                NOW.minus(Duration.ofMinutes(2)))).isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void badNamesAreRejectedWithTheValue() {
        CertificateAuthority ca = CertificateAuthority.open(dir, "cluster.local", CLOCK);

        assertThatThrownBy(() -> ca.ensureCluster("../etc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cluster").hasMessageContaining("\"../etc\"");
        assertThatThrownBy(() -> ca.issue("east", "a/b", "reviews")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespace").hasMessageContaining("\"a/b\"");
        assertThatThrownBy(() -> ca.issue("east", "default", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("service account").hasMessageContaining("\"\"");
        assertThatThrownBy(() -> CertificateAuthority.open(dir, "Cluster Local", CLOCK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"Cluster Local\"");
    }

    private static byte[] subjectKeyId(X509Certificate cert) throws Exception {
        byte[] value = cert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        return value == null ? new byte[0]
                : SubjectKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(value)).getKeyIdentifier();
    }

    private static byte[] authorityKeyId(X509Certificate cert) throws Exception {
        byte[] value = cert.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        return value == null ? new byte[0]
                : AuthorityKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(value))
                        .getKeyIdentifierOctets();
    }
}
