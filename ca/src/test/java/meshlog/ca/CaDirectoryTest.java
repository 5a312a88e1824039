package meshlog.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the CA leaves on disk, and what it makes of it when it opens the directory again. */
class CaDirectoryTest {

    private static final Instant NOW = Instant.parse("2031-03-04T05:06:07Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void reopeningTheSameDirectoryKeepsRootAndIntermediate() throws Exception {
        CertificateAuthority first = CertificateAuthority.open(dir, "cluster.local", CLOCK);
        X509Certificate intermediate = intermediateOf(first.issue("east", "default", "reviews"));

        CertificateAuthority second = CertificateAuthority.open(dir, "cluster.local", later(Duration.ofDays(30)));
        WorkloadCertificate cert = second.issue("east", "default", "reviews");

        assertThat(second.trustBundlePem()).isEqualTo(first.trustBundlePem());
        assertThat(intermediateOf(cert)).isEqualTo(intermediate);
        Pki.validate(cert.certificateChainPem(), first.trustBundlePem(), NOW.plus(Duration.ofDays(30)));
    }

    @Test
    void aNewDirectoryGetsADifferentRoot(@TempDir Path otherDir) {
        CertificateAuthority first = CertificateAuthority.open(dir, "cluster.local", CLOCK);
        CertificateAuthority other = CertificateAuthority.open(otherDir, "cluster.local", CLOCK);

        assertThat(Pki.certificate(other.trustBundlePem()).getPublicKey())
                .isNotEqualTo(Pki.certificate(first.trustBundlePem()).getPublicKey());
    }

    @Test
    void filesFollowTheLayoutAndKeysAreOwnerOnly() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        CertificateAuthority ca = CertificateAuthority.open(dir, "cluster.local", CLOCK);

        ca.ensureCluster("east");

        assertThat(files(dir)).containsExactlyInAnyOrder("clusters", "root-cert.pem", "root-key.pem");
        assertThat(files(dir.resolve("clusters/east"))).containsExactlyInAnyOrder("ca-cert.pem", "ca-key.pem");
        for (Path key : new Path[] {dir.resolve("root-key.pem"), dir.resolve("clusters/east/ca-key.pem")}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).as(key.toString())
                    .isEqualTo("rw-------");
            assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        }
        assertThat(Files.readString(dir.resolve("root-cert.pem"))).isEqualTo(ca.trustBundlePem());
        assertThat(Pki.isP256(Pki.pkcs8(Files.readString(dir.resolve("root-key.pem"))))).isTrue();
    }

    @Test
    void ensureClusterIsIdempotent() throws Exception {
        CertificateAuthority ca = CertificateAuthority.open(dir, "cluster.local", CLOCK);
        ca.ensureCluster("east");
        String before = Files.readString(dir.resolve("clusters/east/ca-cert.pem"));

        ca.ensureCluster("east");
        CertificateAuthority.open(dir, "cluster.local", CLOCK).ensureCluster("east");

        assertThat(Files.readString(dir.resolve("clusters/east/ca-cert.pem"))).isEqualTo(before);
        assertThat(Pki.certificate(before)).isEqualTo(intermediateOf(ca.issue("east", "default", "reviews")));
    }

    @Test
    void anIntermediateNearItsEndIsReplaced() throws Exception {
        CertificateAuthority ca = CertificateAuthority.open(dir, "cluster.local", CLOCK);
        X509Certificate old = intermediateOf(ca.issue("east", "default", "reviews"));

        Instant nearEnd = NOW.plus(Duration.ofDays(365)).minus(Duration.ofHours(12));
        CertificateAuthority reopened = CertificateAuthority.open(dir, "cluster.local",
                Clock.fixed(nearEnd, ZoneOffset.UTC));
        WorkloadCertificate cert = reopened.issue("east", "default", "reviews");

        assertThat(intermediateOf(cert)).isNotEqualTo(old);
        assertThat(cert.notAfter()).isEqualTo(nearEnd.plus(Duration.ofHours(24)));
        Pki.validate(cert.certificateChainPem(), ca.trustBundlePem(), nearEnd.plus(Duration.ofHours(23)));
        assertThat(Pki.certificate(Files.readString(dir.resolve("clusters/east/ca-cert.pem"))))
                .isEqualTo(intermediateOf(cert));
    }

    @Test
    void aHalfWrittenIntermediateIsReplaced() throws Exception {
        CertificateAuthority.open(dir, "cluster.local", CLOCK).ensureCluster("east");
        // As if a crash came between writing a new key and its certificate.
        Files.writeString(dir.resolve("clusters/east/ca-key.pem"), Pem.privateKey(KeyPairs.generate().getPrivate()));

        CertificateAuthority ca = CertificateAuthority.open(dir, "cluster.local", CLOCK);
        WorkloadCertificate cert = ca.issue("east", "default", "reviews");

        Pki.validate(cert.certificateChainPem(), ca.trustBundlePem(), NOW);
    }

    @Test
    void aRootCertificateWithoutItsKeyIsAnError() throws Exception {
        CertificateAuthority.open(dir, "cluster.local", CLOCK);
        Files.delete(dir.resolve("root-key.pem"));

        assertThatThrownBy(() -> CertificateAuthority.open(dir, "cluster.local", CLOCK))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("root-key.pem");
    }

    @Test
    void aRootKeyThatDoesNotMatchIsAnError() throws Exception {
        CertificateAuthority.open(dir, "cluster.local", CLOCK);
        Files.writeString(dir.resolve("root-key.pem"), Pem.privateKey(KeyPairs.generate().getPrivate()));

        assertThatThrownBy(() -> CertificateAuthority.open(dir, "cluster.local", CLOCK))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not match")
                .hasMessageNotContaining("PRIVATE KEY");
    }

    @Test
    void strayEntriesUnderClustersAreIgnored() throws Exception {
        Files.createDirectories(dir.resolve("clusters/.Trash"));
        Files.writeString(dir.resolve("clusters/notes.txt"), "hello");

        CertificateAuthority ca = CertificateAuthority.open(dir, "cluster.local", CLOCK);

        Pki.validate(ca.issue("east", "default", "reviews").certificateChainPem(), ca.trustBundlePem(), NOW);
    }

    private static Clock later(Duration duration) {
        return Clock.fixed(NOW.plus(duration), ZoneOffset.UTC);
    }

    private static X509Certificate intermediateOf(WorkloadCertificate cert) {
        return Pki.chain(cert.certificateChainPem()).get(1);
    }

    private static java.util.List<String> files(Path directory) throws Exception {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).toList();
        }
    }
}
