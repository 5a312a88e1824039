package meshlog.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidatorException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CA opened from Istio's cacerts layout signs with its ca-cert.pem and hands out its root-cert.pem; a CA opened on
 * its own directory with a passphrase leaves no readable key there.
 */
class PluggedCaSigningTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final WorkloadIdentity REVIEWS = new WorkloadIdentity("default", "reviews");

    @TempDir
    Path dir;

    private Path cacerts(String name, SigningIdentity ca, String roots) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(d.resolve("ca-cert.pem"), Pem.certificate(ca.certificate()));
        Files.writeString(d.resolve("ca-key.pem"), Pem.privateKey(ca.privateKey()));
        Files.writeString(d.resolve("root-cert.pem"), roots);
        Files.writeString(d.resolve("cert-chain.pem"), Pem.certificate(ca.certificate()));
        return d;
    }

    @Test
    void csrsAreSignedByThePluggedIntermediateAndChainToThePluggedRoot() throws Exception {
        SigningIdentity root = Certificates.root(KeyPairs.generate(), "cluster.local", NOW);
        SigningIdentity intermediate = Certificates.intermediate(KeyPairs.generate(), "cluster.local", "corp", root,
                NOW);
        String rootPem = Pem.certificate(root.certificate());
        CertificateAuthority ca = CertificateAuthority.plugged(cacerts("cacerts", intermediate, rootPem),
                "cluster.local", CLOCK, KeyPassphrase.none());

        SignedChain signed = ca.sign("east", CertificateRequest.parse(Csrs.csr(Csrs.ec("secp256r1"), "x")), REVIEWS,
                CertificateAuthority.lifetime(0));

        assertThat(signed.certificates()).hasSize(3);
        assertThat(signed.certificates().get(1)).isEqualTo(Pem.certificate(intermediate.certificate()));
        assertThat(signed.certificates().get(2)).isEqualTo(rootPem);
        assertThat(ca.trustBundlePem()).isEqualTo(rootPem);
        Pki.validate(signed.certificates().get(0) + signed.certificates().get(1), rootPem, NOW);
        CertificateAuthority own = CertificateAuthority.open(dir.resolve("own"), "cluster.local", CLOCK);
        assertThatThrownBy(() -> Pki.validate(signed.certificates().get(0) + signed.certificates().get(1),
                own.trustBundlePem(), NOW)).isInstanceOf(CertPathValidatorException.class);
        assertThat(ca.issueServing("west", java.util.List.of("istiod.istio-system.svc")).certificateChainPem())
                .endsWith(Pem.certificate(intermediate.certificate()));
    }

    @Test
    void duringARootRotationTheBundleHoldsBothRootsAndTheChainEndsAtTheNewOne() throws Exception {
        SigningIdentity oldRoot = Certificates.root(KeyPairs.generate(), "cluster.local", NOW);
        SigningIdentity newRoot = Certificates.root(KeyPairs.generate(), "cluster.local", NOW);
        SigningIdentity newCa = Certificates.intermediate(KeyPairs.generate(), "cluster.local", "corp", newRoot, NOW);
        String bundle = Pem.certificate(oldRoot.certificate()) + Pem.certificate(newRoot.certificate());
        CertificateAuthority ca = CertificateAuthority.plugged(cacerts("stage2", newCa, bundle), "cluster.local",
                CLOCK, KeyPassphrase.none());

        SignedChain signed = ca.sign("east", CertificateRequest.parse(Csrs.csr(Csrs.ec("secp256r1"), "x")), REVIEWS,
                CertificateAuthority.lifetime(0));

        assertThat(ca.trustBundlePem()).isEqualTo(bundle);
        assertThat(signed.certificates().get(2)).isEqualTo(Pem.certificate(newRoot.certificate()));
    }

    @Test
    void withAPassphraseNoKeyInTheDirectoryIsReadableAndAnOldPlainKeyIsRewritten() throws Exception {
        Path caDir = dir.resolve("ca");
        CertificateAuthority.open(caDir, "cluster.local", CLOCK).ensureCluster("east");
        assertThat(Files.readString(caDir.resolve("root-key.pem"))).contains("-----BEGIN PRIVATE KEY-----");
        KeyPassphrase passphrase = KeyPassphrase.fromFile(Files.writeString(dir.resolve("pass"), "s3cret\n"));

        CertificateAuthority ca = CertificateAuthority.open(caDir, "cluster.local", CLOCK, passphrase);
        ca.ensureCluster("west");

        try (Stream<Path> files = Files.walk(caDir)) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith("-key.pem")).toList()).hasSize(3)
                    .allSatisfy(f -> assertThat(Files.readString(f))
                            .startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----").doesNotContain("BEGIN PRIVATE KEY"));
        }
        KeyPassphrase wrong = KeyPassphrase.fromFile(Files.writeString(dir.resolve("wrong"), "guess\n"));
        assertThatThrownBy(() -> CertificateAuthority.open(caDir, "cluster.local", CLOCK, wrong))
                .hasMessageContaining(caDir.resolve("root-key.pem") + ": cannot decrypt the key")
                .hasMessageNotContaining("guess");
        assertThat(CertificateAuthority.open(caDir, "cluster.local", CLOCK, passphrase).trustBundlePem())
                .isEqualTo(ca.trustBundlePem());
    }
}
