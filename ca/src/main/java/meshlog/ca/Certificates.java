package meshlog.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The pure core: builds root, intermediate and workload certificates from keys and an instant. No files, no
 * clock; the only input it does not get from its caller is the random serial number.
 *
 * <p>Lifetimes follow Istio: root 10 years, workload 24 hours. The per-cluster intermediate lives 1 year and is
 * replaced by {@link CertificateAuthority} once it could no longer cover a full workload lifetime. Every
 * certificate starts {@link #BACKDATE} before {@code now} so that a peer whose clock is slightly behind accepts it;
 * no certificate outlives its issuer.
 */
final class Certificates {

    static final Duration ROOT_TTL = Duration.ofDays(3650);
    static final Duration INTERMEDIATE_TTL = Duration.ofDays(365);
    static final Duration LEAF_TTL = Duration.ofHours(24);
    static final Duration BACKDATE = Duration.ofMinutes(1);

    private static final SecureRandom RANDOM = new SecureRandom();

    private Certificates() {
    }

    static SigningIdentity root(KeyPair keys, String trustDomain, Instant now) {
        X500Name subject = name(trustDomain, "meshlog root CA");
        Instant start = start(now);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(start),
                Date.from(now(now).plus(ROOT_TTL)), subject, keys.getPublic());
        try {
            JcaX509ExtensionUtils ids = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ids.createSubjectKeyIdentifier(keys.getPublic()));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the root certificate", e);
        }
        return new SigningIdentity(sign(builder, keys.getPrivate()), keys.getPrivate());
    }

    static SigningIdentity intermediate(KeyPair keys, String trustDomain, String cluster, SigningIdentity root,
                                        Instant now) {
        X500Name subject = name(trustDomain, "meshlog intermediate CA " + cluster);
        X509v3CertificateBuilder builder = issuedBy(root, subject, keys.getPublic(), now, INTERMEDIATE_TTL);
        try {
            // pathLen 0: the intermediate signs workloads, never another CA.
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot build the intermediate certificate for " + cluster, e);
        }
        return new SigningIdentity(sign(builder, root.privateKey()), keys.getPrivate());
    }

    static X509Certificate leaf(PublicKey key, String spiffeId, SigningIdentity issuer, Instant now) {
        return leaf(key, spiffeId, issuer, now, LEAF_TTL);
    }

    /** A workload certificate valid for {@code ttl} (never past its issuer), as for a CSR's requested validity. */
    static X509Certificate leaf(PublicKey key, String spiffeId, SigningIdentity issuer, Instant now, Duration ttl) {
        return endEntity(key, new GeneralName[] {new GeneralName(GeneralName.uniformResourceIdentifier, spiffeId)},
                spiffeId, issuer, now, ttl);
    }

    /**
     * The CA server's own TLS certificate: DNS names only, as istiod's ({@code istiod.istio-system.svc}), so a
     * client checks the host it dialled, not a workload identity.
     */
    static X509Certificate server(PublicKey key, List<String> dnsNames, SigningIdentity issuer, Instant now) {
        GeneralName[] names = dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n))
                .toArray(GeneralName[]::new);
        return endEntity(key, names, String.join(",", dnsNames), issuer, now, LEAF_TTL);
    }

    private static X509Certificate endEntity(PublicKey key, GeneralName[] sans, String what, SigningIdentity issuer,
                                             Instant now, Duration ttl) {
        // Empty subject, so the SAN is critical (RFC 5280 4.2.1.6), as Istio's workload certificates do.
        X509v3CertificateBuilder builder = issuedBy(issuer, new X500Name(new RDN[0]),
                key, now, ttl);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, true, new GeneralNames(sans));
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot build the certificate for " + what, e);
        }
        return sign(builder, issuer.privateKey());
    }

    /** A builder for a certificate signed by {@code issuer}, with validity and key identifiers filled in. */
    private static X509v3CertificateBuilder issuedBy(SigningIdentity issuer, X500Name subject, PublicKey key,
                                                     Instant now, Duration ttl) {
        X509Certificate issuerCert = issuer.certificate();
        Instant end = min(now(now).plus(ttl), issuerCert.getNotAfter().toInstant());
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerCert, serial(),
                Date.from(start(now)), Date.from(end), subject, key);
        try {
            JcaX509ExtensionUtils ids = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(key))
                    .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId(ids, issuerCert));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot compute key identifiers", e);
        }
        return builder;
    }

    /** The issuer's own subject key id when it has one (a plugged-in root may compute it differently). */
    private static AuthorityKeyIdentifier authorityKeyId(JcaX509ExtensionUtils ids, X509Certificate issuer)
            throws IOException {
        byte[] encoded = issuer.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (encoded == null) {
            return ids.createAuthorityKeyIdentifier(issuer.getPublicKey());
        }
        SubjectKeyIdentifier ski = SubjectKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(encoded));
        return new AuthorityKeyIdentifier(ski.getKeyIdentifier());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) {
        try {
            var contentSigner = new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(signer)).build(signer);
            return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a certificate", e);
        }
    }

    private static X500Name name(String trustDomain, String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, trustDomain)
                .addRDN(BCStyle.CN, commonName)
                .build();
    }

    /** A positive serial of up to 159 bits: unpredictable, and within RFC 5280's 20 octets. */
    private static BigInteger serial() {
        BigInteger serial;
        do {
            serial = new BigInteger(159, RANDOM);
        } while (serial.signum() == 0);
        return serial;
    }

    /** X.509 times have whole seconds; truncating here keeps the returned instants equal to the encoded ones. */
    private static Instant now(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS);
    }

    private static Instant start(Instant now) {
        return now(now).minus(BACKDATE);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
