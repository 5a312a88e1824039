package meshlog.ca;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** A CA certificate together with the key that signs under it. */
record SigningIdentity(X509Certificate certificate, PrivateKey privateKey) {

    SigningIdentity {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /** Names the certificate only: a key must never reach a log line. */
    @Override
    public String toString() {
        return "SigningIdentity[" + certificate.getSubjectX500Principal().getName() + ", notAfter="
                + certificate.getNotAfter().toInstant() + "]";
    }
}
