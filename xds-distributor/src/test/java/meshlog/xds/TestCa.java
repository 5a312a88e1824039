package meshlog.xds;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small real CA for tests: an ECDSA P-256 root signing ECDSA P-256 SPIFFE leaf certificates
 * ({@code spiffe://cluster.local/ns/<ns>/sa/<sa>}), 24 h lifetime, renew at half.
 */
final class TestCa implements IdentityIssuer {

    static final Duration LIFETIME = Duration.ofHours(24);

    private final Clock clock;
    private final KeyPair rootKey = newKey();
    private final X509Certificate root;
    private final AtomicLong serials = new AtomicLong(1);
    private final Map<String, AtomicInteger> issuedBy = new ConcurrentHashMap<>();

    TestCa(Clock clock) {
        this.clock = clock;
        Instant now = clock.instant();
        X500Name name = new X500Name("O=meshlog-test,CN=root");
        root = sign(new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(serials.getAndIncrement()),
                Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(3650))), name, rootKey.getPublic()),
                true, null);
    }

    @Override
    public Identity issue(String cluster, String namespace, String serviceAccount) {
        issuedBy.computeIfAbsent(cluster + "/" + namespace + "/" + serviceAccount, k -> new AtomicInteger()).incrementAndGet();
        KeyPair leafKey = newKey();
        Instant now = clock.instant();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(root,
                BigInteger.valueOf(serials.getAndIncrement()), Date.from(now.minusSeconds(60)),
                Date.from(now.plus(LIFETIME)), new X500Name("O=meshlog-test"), leafKey.getPublic());
        String spiffe = "spiffe://cluster.local/ns/" + namespace + "/sa/" + serviceAccount;
        X509Certificate leaf = sign(builder, false, new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, spiffe)));
        return new Identity(pem(leaf), pem(leafKey.getPrivate()), now.plus(LIFETIME.dividedBy(2)));
    }

    @Override
    public String trustBundlePem() {
        return pem(root);
    }

    X509Certificate root() {
        return root;
    }

    /** How often an identity was issued for {@code cluster/namespace/serviceAccount}. */
    int issued(String group) {
        AtomicInteger count = issuedBy.get(group);
        return count == null ? 0 : count.get();
    }

    private X509Certificate sign(X509v3CertificateBuilder builder, boolean ca, GeneralNames san) {
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.keyUsage, true, ca
                    ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
                    : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (san != null) {
                builder.addExtension(Extension.subjectAlternativeName, true, san);
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(rootKey.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("test CA cannot sign", e);
        }
    }

    private static KeyPair newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
