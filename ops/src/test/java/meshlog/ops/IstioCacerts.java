package meshlog.ops;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * An operator's PKI as Istio's "Plug in CA Certificates" task makes it (tools/certs/Makefile.selfsigned.mk), built
 * here with Bouncy Castle rather than meshlog's code: a self-signed root and an intermediate per CA it signs,
 * written in the {@code cacerts} layout istiod reads from {@code /etc/cacerts}.
 */
final class IstioCacerts {

    /** A CA certificate and its keys. */
    record Ca(X509Certificate certificate, KeyPair keys) {

        String pem() {
            return IstioCacerts.pem(certificate);
        }
    }

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private IstioCacerts() {
    }

    /** A self-signed root valid 10 years, as {@code root-ca} makes. */
    static Ca root(String commonName) throws Exception {
        KeyPair keys = newKey();
        X500Name name = new X500Name("O=Istio,CN=" + commonName);
        return new Ca(sign(ca(name, name, keys, Duration.ofDays(3650), -1), keys), keys);
    }

    /** An intermediate signed by {@code root}, valid 2 years, as {@code <cluster>-cacerts} makes. */
    static Ca intermediate(Ca root, String cluster) throws Exception {
        KeyPair keys = newKey();
        X500Name subject = new X500Name("O=Istio,CN=Intermediate CA,L=" + cluster);
        X509v3CertificateBuilder b = ca(X500Name.getInstance(root.certificate().getSubjectX500Principal()
                .getEncoded()), subject, keys, Duration.ofDays(730), 0);
        b.addExtension(Extension.authorityKeyIdentifier, false, new JcaX509ExtensionUtils()
                .createAuthorityKeyIdentifier(root.certificate()));
        return new Ca(sign(b, root.keys()), keys);
    }

    /**
     * Writes {@code ca-cert.pem}, {@code ca-key.pem} (encrypted PKCS#8 with AES-256-CBC when {@code passphrase} is
     * not null, as {@code openssl pkcs8 -topk8 -v2 aes-256-cbc} does), {@code root-cert.pem} (the roots given, in
     * order) and {@code cert-chain.pem} (the intermediate, then its root) into {@code dir}.
     */
    static Path write(Path dir, Ca intermediate, Ca issuingRoot, String passphrase, Ca... trustedRoots)
            throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("ca-cert.pem"), intermediate.pem());
        Files.writeString(dir.resolve("ca-key.pem"), key(intermediate.keys(), passphrase));
        StringBuilder roots = new StringBuilder();
        for (Ca root : trustedRoots) {
            roots.append(root.pem());
        }
        Files.writeString(dir.resolve("root-cert.pem"), roots);
        Files.writeString(dir.resolve("cert-chain.pem"), intermediate.pem() + issuingRoot.pem());
        return dir;
    }

    private static String key(KeyPair keys, String passphrase) throws Exception {
        var encryptor = passphrase == null ? null
                : new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                        .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                        .setPassword(passphrase.toCharArray()).build();
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaPKCS8Generator(keys.getPrivate(), encryptor));
        }
        return text.toString();
    }

    private static X509v3CertificateBuilder ca(X500Name issuer, X500Name subject, KeyPair keys, Duration ttl,
                                               int pathLength) throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(ttl)), subject, keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, pathLength < 0 ? new BasicConstraints(true)
                : new BasicConstraints(pathLength));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign
                | KeyUsage.digitalSignature));
        b.addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils()
                .createSubjectKeyIdentifier(keys.getPublic()));
        return b;
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    private static KeyPair newKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static String pem(X509Certificate cert) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
