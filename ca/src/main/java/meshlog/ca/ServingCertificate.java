package meshlog.ca;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The CA port's own TLS certificate: DNS names as istiod's, its chain (leaf, intermediate) and key.
 * {@link #toString()} leaves the key out.
 */
public record ServingCertificate(List<String> dnsNames, String certificateChainPem, String privateKeyPem,
                                 Instant notBefore, Instant notAfter) {

    public ServingCertificate {
        dnsNames = List.copyOf(dnsNames);
        Objects.requireNonNull(certificateChainPem, "certificateChainPem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
    }

    /** Names and validity only; never the key. */
    @Override
    public String toString() {
        return "ServingCertificate[dnsNames=" + dnsNames + ", notBefore=" + notBefore + ", notAfter=" + notAfter
                + "]";
    }
}
