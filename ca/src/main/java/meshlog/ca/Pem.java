package meshlog.ca;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** PEM text for certificates and PKCS#8 private keys, the form Envoy's SDS and the files on disk use. */
public final class Pem {

    private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private Pem() {
    }

    public static String certificate(X509Certificate certificate) {
        try {
            return block("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode certificate", e);
        }
    }

    /** PKCS#8 ("BEGIN PRIVATE KEY"), which the JDK's keys already encode to. */
    public static String privateKey(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("expected a PKCS#8 key, got " + key.getFormat());
        }
        return block("PRIVATE KEY", key.getEncoded());
    }

    /** The first certificate in {@code pem}; {@code source} names it in errors. */
    static X509Certificate parseCertificate(String pem, String source) {
        Object object = first(pem, source);
        if (!(object instanceof X509CertificateHolder holder)) {
            throw new IllegalStateException(source + ": expected a PEM CERTIFICATE");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IllegalStateException(source + ": not a valid certificate", e);
        }
    }

    /** A PKCS#8 or SEC1 ("BEGIN EC PRIVATE KEY") key, so that keys made with openssl can be plugged in. */
    static PrivateKey parsePrivateKey(String pem, String source) {
        Object object = first(pem, source);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
        } catch (IOException e) {
            // Deliberately without the cause's text: it could echo key material.
            throw new IllegalStateException(source + ": not a valid private key");
        }
        throw new IllegalStateException(source + ": expected an unencrypted PEM PRIVATE KEY");
    }

    private static Object first(String pem, String source) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            if (object == null) {
                throw new IllegalStateException(source + ": no PEM block found");
            }
            return object;
        } catch (IOException e) {
            throw new IllegalStateException(source + ": malformed PEM");
        }
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + new String(BASE64.encode(der), StandardCharsets.US_ASCII)
                + "\n-----END " + type + "-----\n";
    }
}
