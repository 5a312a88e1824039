package meshlog.agent;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;

/** The workload key the agent generates: ECDSA P-256 (Istio's default) or RSA 2048 on request. */
public enum KeyAlgorithm {
    EC_P256("SHA256withECDSA"),
    RSA_2048("SHA256withRSA");

    final String signatureAlgorithm;

    KeyAlgorithm(String signatureAlgorithm) {
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** {@code ec} or {@code rsa}, as {@code --key-type} takes it. */
    public static KeyAlgorithm parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "ec", "ecdsa", "ec-p256" -> EC_P256;
            case "rsa", "rsa-2048" -> RSA_2048;
            default -> throw new IllegalArgumentException("--key-type takes ec (ECDSA P-256) or rsa (RSA 2048), got \""
                    + meshlog.configstore.LogSafe.value(text, 40) + "\"");
        };
    }

    KeyPair generate() {
        try {
            KeyPairGenerator generator;
            if (this == EC_P256) {
                generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate " + this + " keys", e);
        }
    }
}
