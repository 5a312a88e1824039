package meshlog.ca;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/** ECDSA P-256 keys (Istio's default), from the JDK's own provider. */
final class KeyPairs {

    static final String CURVE = "secp256r1";

    private KeyPairs() {
    }

    static KeyPair generate() {
        try {
            // A generator is not thread-safe; creating one per call costs far less than the key itself.
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(CURVE));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate EC " + CURVE + " keys", e);
        }
    }

    /** The JCA signature algorithm for a signer's key: ECDSA for our own keys, RSA for a plugged-in root. */
    static String signatureAlgorithm(PrivateKey key) {
        return "RSA".equals(key.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
    }

    /** Whether {@code privateKey} belongs to {@code publicKey}, checked by signing and verifying a message. */
    static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        try {
            byte[] message = "meshlog key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(signatureAlgorithm(privateKey));
            signer.initSign(privateKey);
            signer.update(message);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(signatureAlgorithm(privateKey));
            verifier.initVerify(publicKey);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
