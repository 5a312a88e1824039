package meshlog.agent;

import java.time.Instant;
import java.util.Objects;

/**
 * The workload's current certificate, its key and the roots it trusts: what SDS {@code default} and {@code ROOTCA}
 * and the {@code --grpc-output} files carry.
 *
 * @param certificateChainPem the leaf, then its intermediate
 * @param privateKeyPem       PKCS#8, generated here; never logged ({@link #toString()})
 * @param rootsPem            the mesh roots (more than one while a root rotates)
 * @param spiffeId            the identity the CA signed: the authenticated one
 * @param obtainedAt          when the agent received it: the lifetime renewal halves starts here, not at the
 *                            certificate's notBefore, which the CA backdates for clock skew
 */
public record Credentials(String certificateChainPem, String privateKeyPem, String rootsPem, String spiffeId,
                          Instant obtainedAt, Instant notAfter) {

    public Credentials {
        Objects.requireNonNull(certificateChainPem, "certificateChainPem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        Objects.requireNonNull(rootsPem, "rootsPem");
        Objects.requireNonNull(spiffeId, "spiffeId");
    }

    /** Identity and validity only; never the key. */
    @Override
    public String toString() {
        return "Credentials[" + spiffeId + ", obtainedAt=" + obtainedAt + ", notAfter=" + notAfter
                + ", privateKey=<redacted>]";
    }
}
