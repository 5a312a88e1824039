package meshlog.ops;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test CA (ECDSA P-256, a day's validity) issuing leaf certificates for DNS names, as PEM files for Envoy and as
 * {@link SSLContext}s for Java peers: a TLS client that trusts the CA (and presents a leaf, for mutual TLS), or a
 * TLS server presenting a leaf. {@link LoopbackTls} is the self-signed one-certificate case.
 */
final class TestPki {

    /** A certificate and its key. */
    record Leaf(X509Certificate certificate, KeyPair keys) {

        /** Writes {@code <name>.pem} and {@code <name>-key.pem} into {@code dir}; returns the certificate's path. */
        Path write(Path dir, String name) throws IOException {
            Files.writeString(dir.resolve(name + "-key.pem"), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            return Files.writeString(dir.resolve(name + ".pem"), pem(certificate));
        }
    }

    private final AtomicLong serials = new AtomicLong(System.currentTimeMillis());
    private final Leaf root;

    TestPki() throws Exception {
        KeyPair keys = newKey();
        X500Name name = new X500Name("O=meshlog-test,CN=gateway-test-root");
        root = new Leaf(sign(builder(name, name, keys).addExtension(Extension.basicConstraints, true,
                new BasicConstraints(true)), keys), keys);
    }

    /** A leaf for {@code dnsName}, signed by the CA. */
    Leaf issue(String dnsName) throws Exception {
        KeyPair keys = newKey();
        var b = builder(new X500Name("O=meshlog-test,CN=gateway-test-root"), new X500Name("CN=" + dnsName), keys)
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        return new Leaf(sign(b, root.keys()), keys);
    }

    /** Writes the CA certificate as {@code <name>.pem} into {@code dir}. */
    Path writeCa(Path dir, String name) throws IOException {
        return Files.writeString(dir.resolve(name + ".pem"), pem(root.certificate()));
    }

    /** A TLS context trusting this CA only, presenting {@code leaf} when not null. */
    SSLContext context(Leaf leaf) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", root.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (leaf != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("leaf", leaf.keys().getPrivate(), new char[0],
                    new java.security.cert.Certificate[] {leaf.certificate(), root.certificate()});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serials.incrementAndGet()),
                Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(org.bouncycastle.cert.X509v3CertificateBuilder b, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    private static KeyPair newKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static String pem(X509Certificate cert) {
        try {
            return pem("CERTIFICATE", cert.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
