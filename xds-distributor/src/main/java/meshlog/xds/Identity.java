package meshlog.xds;

import java.time.Instant;
import java.util.Objects;

/**
 * A workload's certificate and key as served over SDS (resource {@code default}).
 *
 * @param certificateChainPem the leaf first, then any intermediates, PEM
 * @param privateKeyPem the leaf's private key, PEM; never logged (see {@link #toString()})
 * @param renewAt when the distributor should ask for a fresh one (Istio renews at half the lifetime)
 */
public record Identity(String certificateChainPem, String privateKeyPem, Instant renewAt) {

    public Identity {
        Objects.requireNonNull(certificateChainPem, "certificateChainPem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        Objects.requireNonNull(renewAt, "renewAt");
    }

    /** Omits the private key: an identity may be logged, its key never. */
    @Override
    public String toString() {
        return "Identity[chain=" + certificateChainPem.length() + " chars, privateKey=<redacted>, renewAt=" + renewAt + "]";
    }
}
