package meshlog.ca;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a proxy receives for its SDS {@code default} secret: a workload's SPIFFE identity, its certificate chain
 * and the private key that goes with it.
 *
 * <p>{@link #toString()} leaves the private key out, so that logging a certificate never leaks a key; equality
 * still covers every component.
 *
 * @param spiffeId            {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>}, the leaf's only
 *                            URI SAN
 * @param certificateChainPem the leaf certificate followed by the cluster's intermediate, PEM; the root is not
 *                            included (proxies get it separately, see {@link CertificateAuthority#trustBundlePem()})
 * @param privateKeyPem       the leaf's EC P-256 private key, unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY})
 * @param notBefore           start of the leaf's validity (backdated a minute for clock skew)
 * @param notAfter            end of the leaf's validity
 */
public record WorkloadCertificate(String spiffeId, String certificateChainPem, String privateKeyPem,
                                  Instant notBefore, Instant notAfter) {

    public WorkloadCertificate {
        Objects.requireNonNull(spiffeId, "spiffeId");
        Objects.requireNonNull(certificateChainPem, "certificateChainPem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        if (notAfter.isBefore(notBefore)) {
            throw new IllegalArgumentException("notAfter " + notAfter + " is before notBefore " + notBefore);
        }
    }

    /**
     * When to ask for a new certificate: half way through the validity period, as Istio does, which leaves the
     * other half to ride out a control plane outage.
     */
    public Instant renewAt() {
        return notBefore.plus(Duration.between(notBefore, notAfter).dividedBy(2));
    }

    /** Identity and validity only; never the key. */
    @Override
    public String toString() {
        return "WorkloadCertificate[spiffeId=" + spiffeId + ", notBefore=" + notBefore + ", notAfter=" + notAfter
                + "]";
    }
}
