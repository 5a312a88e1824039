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
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.io.pem.PemGenerationException;

/** PEM text for certificates and PKCS#8 private keys, the form Envoy's SDS and the files on disk use. */
public final class Pem {

    private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
    /** Not registered with the JDK: passed to the PKCS#8 encryptor only, so nothing else changes provider. */
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final int PBKDF2_ITERATIONS = 100_000;

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

    /**
     * The key as the CA stores it: encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}, PBES2 with
     * PBKDF2-HMAC-SHA256 and AES-256-CBC) when {@code passphrase} is present, else {@link #privateKey(PrivateKey)}.
     */
    static String privateKey(PrivateKey key, KeyPassphrase passphrase) {
        if (!passphrase.present()) {
            return privateKey(key);
        }
        char[] chars = passphrase.chars();
        try {
            JceOpenSSLPKCS8EncryptorBuilder encryptor = new JceOpenSSLPKCS8EncryptorBuilder(
                    JcaPKCS8Generator.AES_256_CBC).setProvider(BC).setPRF(JcaPKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(PBKDF2_ITERATIONS).setPassword(chars);
            byte[] der = new JcaPKCS8Generator(key, encryptor.build()).generate().getContent();
            return block("ENCRYPTED PRIVATE KEY", der);
        } catch (OperatorCreationException | PemGenerationException e) {
            throw new IllegalStateException("cannot encrypt a CA key: " + e.getClass().getSimpleName());
        } finally {
            java.util.Arrays.fill(chars, '\0');
        }
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

    /** Every certificate in {@code pem}, in order; anything else in it is an error naming {@code source}. */
    static java.util.List<X509Certificate> parseCertificates(String pem, String source) {
        java.util.List<X509Certificate> certificates = new java.util.ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (!(object instanceof X509CertificateHolder holder)) {
                    throw new IllegalStateException(source + ": block " + (certificates.size() + 1)
                            + " is not a CERTIFICATE");
                }
                certificates.add(new JcaX509CertificateConverter().getCertificate(holder));
            }
        } catch (IOException e) {
            throw new IllegalStateException(source + ": malformed PEM");
        } catch (CertificateException e) {
            throw new IllegalStateException(source + ": block " + (certificates.size() + 1)
                    + " is not a valid certificate");
        }
        return certificates;
    }

    /** A PKCS#8 or SEC1 ("BEGIN EC PRIVATE KEY") key, so that keys made with openssl can be plugged in. */
    static PrivateKey parsePrivateKey(String pem, String source) {
        return parsePrivateKey(pem, source, KeyPassphrase.none());
    }

    /**
     * As {@link #parsePrivateKey(String, String)}, and also encrypted PKCS#8 ({@code openssl pkcs8 -topk8 -v2
     * aes-256-cbc}), decrypted with {@code passphrase}: refused, naming the file, when there is none or it is wrong.
     */
    static PrivateKey parsePrivateKey(String pem, String source, KeyPassphrase passphrase) {
        Object object = first(pem, source);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                return converter.getPrivateKey(decrypt(encrypted, source, passphrase));
            }
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
        throw new IllegalStateException(source + ": expected a PEM PRIVATE KEY");
    }

    private static PrivateKeyInfo decrypt(PKCS8EncryptedPrivateKeyInfo encrypted, String source,
                                          KeyPassphrase passphrase) {
        if (!passphrase.present()) {
            throw new IllegalStateException(source + ": the key is encrypted (ENCRYPTED PRIVATE KEY); give its"
                    + " passphrase with --ca-key-passphrase-file");
        }
        char[] chars = passphrase.chars();
        try {
            return encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC)
                    .build(chars));
        } catch (PKCSException | OperatorCreationException | RuntimeException e) {
            // A wrong passphrase shows as a padding or an ASN.1 error; either way, nothing of the cause is shown.
            throw new IllegalStateException(source + ": cannot decrypt the key with the passphrase from "
                    + passphrase.source().map(Object::toString).orElse("--ca-key-passphrase-file")
                    + " (wrong passphrase?)");
        } finally {
            java.util.Arrays.fill(chars, '\0');
        }
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
