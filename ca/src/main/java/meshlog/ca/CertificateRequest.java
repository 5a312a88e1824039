package meshlog.ca;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * A PEM PKCS#10 certificate signing request whose signature has been checked, reduced to what the CA uses from it:
 * the public key. Everything else in it (subject, SANs, extensions) is ignored: the certificate's identity is the
 * caller's authenticated one, as Istio's CA does.
 *
 * <p>Accepted keys: ECDSA P-256 (Istio's default) and RSA of 2048 to 4096 bits (Istio's agent makes 2048).
 */
public final class CertificateRequest {

    /** Istio's agent sends well under 2 KiB; a bound keeps a hostile request from costing parse time. */
    public static final int MAX_PEM_BYTES = 16 * 1024;
    private static final BigInteger P256_ORDER = new BigInteger(
            "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    private final PublicKey publicKey;

    private CertificateRequest(PublicKey publicKey) {
        this.publicKey = publicKey;
    }

    /**
     * Parses and checks {@code pem}.
     *
     * @throws CsrRejectedException if it is too large, not one PEM CERTIFICATE REQUEST, not signed by its own key,
     *                              or for an unsupported key; the message says which
     */
    public static CertificateRequest parse(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new CsrRejectedException("csr is empty: expected a PEM CERTIFICATE REQUEST");
        }
        if (pem.getBytes(StandardCharsets.UTF_8).length > MAX_PEM_BYTES) {
            throw new CsrRejectedException("csr is larger than " + MAX_PEM_BYTES + " bytes");
        }
        PKCS10CertificationRequest request = read(pem);
        try {
            PublicKey key = checkKey(new JcaPEMKeyConverter().getPublicKey(request.getSubjectPublicKeyInfo()));
            if (!signatureValid(request, key)) {
                throw new CsrRejectedException("csr signature does not verify with the csr's own public key");
            }
            return new CertificateRequest(key);
        } catch (GeneralSecurityException | IOException e) {
            throw new CsrRejectedException("csr has an unsupported key or signature algorithm: use ECDSA P-256 or"
                    + " RSA 2048 with SHA-256");
        }
    }

    /**
     * The JDK's Signature over the request info, for SHA-256 with ECDSA or RSA only: Bouncy Castle's verifier
     * provider builder costs several milliseconds per call, most of a CSR's whole cost.
     */
    private static boolean signatureValid(PKCS10CertificationRequest request, PublicKey key)
            throws GeneralSecurityException, IOException {
        String oid = request.getSignatureAlgorithm().getAlgorithm().getId();
        String algorithm = switch (oid) {
            case "1.2.840.10045.4.3.2" -> "SHA256withECDSA";
            case "1.2.840.113549.1.1.11" -> "SHA256withRSA";
            default -> throw new CsrRejectedException("csr is signed with " + oid + ": use SHA-256 with ECDSA or"
                    + " RSA (Istio's agent does)");
        };
        if (algorithm.endsWith("ECDSA") != key instanceof ECPublicKey) {
            return false;
        }
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(key);
        verifier.update(request.toASN1Structure().getCertificationRequestInfo().getEncoded(ASN1Encoding.DER));
        return verifier.verify(request.getSignature());
    }

    PublicKey publicKey() {
        return publicKey;
    }

    /** {@code EC P-256} or {@code RSA 2048}, for log lines and errors. */
    public String keyDescription() {
        return publicKey instanceof RSAPublicKey rsa ? "RSA " + rsa.getModulus().bitLength() : "EC P-256";
    }

    private static PKCS10CertificationRequest read(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            if (!(object instanceof PKCS10CertificationRequest request)) {
                throw new CsrRejectedException("csr is not a PEM CERTIFICATE REQUEST (PKCS#10)");
            }
            if (parser.readObject() != null) {
                throw new CsrRejectedException("csr holds more than one PEM block");
            }
            return request;
        } catch (IOException | RuntimeException e) {
            if (e instanceof CsrRejectedException rejected) {
                throw rejected;
            }
            // Without the cause's text: it could quote the request.
            throw new CsrRejectedException("csr is malformed: not a valid PEM CERTIFICATE REQUEST (PKCS#10)");
        }
    }

    private static PublicKey checkKey(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            if (ec.getParams().getCurve().getField().getFieldSize() != 256 || !P256_ORDER.equals(ec.getParams()
                    .getOrder())) {
                throw new CsrRejectedException("csr has an EC key on a curve other than P-256: use ECDSA P-256 or"
                        + " RSA 2048");
            }
            return key;
        }
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < 2048 || bits > 4096) {
                throw new CsrRejectedException("csr has an RSA key of " + bits + " bits: use 2048 to 4096 bits");
            }
            return key;
        }
        throw new CsrRejectedException("csr has a " + key.getAlgorithm() + " key: use ECDSA P-256 or RSA 2048");
    }

    @Override
    public String toString() {
        return "CertificateRequest[" + keyDescription() + "]";
    }
}
