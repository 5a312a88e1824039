package meshlog.ca;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;

/** Test-side PKI checks with the JDK alone, so they do not share code with what they check. */
final class Pki {

    private Pki() {
    }

    static List<X509Certificate> chain(String pem) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            return factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .stream().map(X509Certificate.class::cast).toList();
        } catch (Exception e) {
            throw new AssertionError("not a PEM certificate chain", e);
        }
    }

    static X509Certificate certificate(String pem) {
        List<X509Certificate> certificates = chain(pem);
        if (certificates.size() != 1) {
            throw new AssertionError("expected one certificate, got " + certificates.size());
        }
        return certificates.get(0);
    }

    /** PKIX path validation of {@code chainPem} (leaf first) against {@code rootPem}, at {@code at}. */
    static void validate(String chainPem, String rootPem, Instant at) throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(certificate(rootPem), null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(at));
        CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(chain(chainPem)), parameters);
    }

    static PrivateKey pkcs8(String pem) throws Exception {
        String body = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    static boolean signsFor(PrivateKey privateKey, PublicKey publicKey) throws Exception {
        byte[] message = "hello from a workload".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(privateKey);
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(publicKey);
        verifier.update(message);
        return verifier.verify(signature);
    }

    /** Whether {@code key} is an EC key on secp256r1 (P-256). */
    static boolean isP256(Key key) throws Exception {
        if (!(key instanceof ECKey ec)) {
            return false;
        }
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec p256 = parameters.getParameterSpec(ECParameterSpec.class);
        ECParameterSpec actual = ec.getParams();
        return actual.getCurve().equals(p256.getCurve()) && actual.getOrder().equals(p256.getOrder())
                && actual.getGenerator().equals(p256.getGenerator()) && actual.getCofactor() == p256.getCofactor();
    }
}
