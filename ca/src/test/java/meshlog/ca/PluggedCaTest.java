package meshlog.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Istio's cacerts layout read and checked; encrypted PKCS#8 keys with a passphrase file. */
class PluggedCaTest {

    @TempDir
    Path dir;

    private final Instant now = Instant.parse("2026-12-07T12:00:00Z");

    private Path cacerts(SigningIdentity root, SigningIdentity ca, String key) throws Exception {
        Path d = Files.createDirectories(dir.resolve("cacerts"));
        Files.writeString(d.resolve("ca-cert.pem"), Pem.certificate(ca.certificate()));
        Files.writeString(d.resolve("ca-key.pem"), key);
        Files.writeString(d.resolve("root-cert.pem"), Pem.certificate(root.certificate()));
        Files.writeString(d.resolve("cert-chain.pem"), Pem.certificate(ca.certificate())
                + Pem.certificate(root.certificate()));
        return d;
    }

    @Test
    void aValidLayoutSignsUnderTheIntermediateAndTrustsTheRoot() throws Exception {
        SigningIdentity root = Certificates.root(KeyPairs.generate(), "cluster.local", now);
        SigningIdentity ca = Certificates.intermediate(KeyPairs.generate(), "cluster.local", "east", root, now);
        PluggedCa plugged = PluggedCa.load(cacerts(root, ca, Pem.privateKey(ca.privateKey())),
                KeyPassphrase.none(), now);
        assertThat(plugged.issuerChain()).containsExactly(ca.certificate());
        assertThat(plugged.roots()).containsExactly(root.certificate());
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedNamingTheFile() throws Exception {
        SigningIdentity root = Certificates.root(KeyPairs.generate(), "cluster.local", now);
        SigningIdentity ca = Certificates.intermediate(KeyPairs.generate(), "cluster.local", "east", root, now);
        Path d = cacerts(root, ca, Pem.privateKey(KeyPairs.generate().getPrivate()));
        assertThatThrownBy(() -> PluggedCa.load(d, KeyPassphrase.none(), now))
                .hasMessageContaining(d.resolve("ca-key.pem") + ": the key does not belong");
    }

    @Test
    void aChainThatDoesNotEndAtTheRootIsRefused() throws Exception {
        SigningIdentity root = Certificates.root(KeyPairs.generate(), "cluster.local", now);
        SigningIdentity other = Certificates.root(KeyPairs.generate(), "cluster.local", now);
        SigningIdentity ca = Certificates.intermediate(KeyPairs.generate(), "cluster.local", "east", other, now);
        Path d = cacerts(root, ca, Pem.privateKey(ca.privateKey()));
        Files.writeString(d.resolve("cert-chain.pem"), Pem.certificate(ca.certificate()));
        assertThatThrownBy(() -> PluggedCa.load(d, KeyPassphrase.none(), now))
                .hasMessageContaining(d.resolve("cert-chain.pem") + ": the chain does not end at a root");
    }

    @Test
    void anEncryptedKeyReadsWithItsPassphraseAndIsRefusedWithAWrongOne() throws Exception {
        var keys = KeyPairs.generate();
        KeyPassphrase right = KeyPassphrase.fromFile(Files.writeString(dir.resolve("right"), "s3cret\n"));
        KeyPassphrase wrong = KeyPassphrase.fromFile(Files.writeString(dir.resolve("wrong"), "guess\n"));
        String pem = Pem.privateKey(keys.getPrivate(), right);
        assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----").doesNotContain("BEGIN PRIVATE KEY");
        assertThat(Pem.parsePrivateKey(pem, "k.pem", right).getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
        assertThatThrownBy(() -> Pem.parsePrivateKey(pem, "k.pem", wrong))
                .hasMessageContaining("k.pem: cannot decrypt the key").hasMessageContaining("wrong");
        assertThatThrownBy(() -> Pem.parsePrivateKey(pem, "k.pem", KeyPassphrase.none()))
                .hasMessageContaining("k.pem: the key is encrypted");
    }
}
