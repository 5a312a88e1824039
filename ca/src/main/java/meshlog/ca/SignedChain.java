package meshlog.ca;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A certificate signed for a CSR, as Istio's certificate API returns it: one PEM certificate per element, leaf
 * first, then the cluster's intermediate, then the root, each ending in a newline.
 *
 * @param spiffeId     the leaf's only URI SAN
 * @param certificates PEM certificates, leaf first and root last
 * @param notBefore    start of the leaf's validity (backdated a minute for clock skew)
 * @param notAfter     end of the leaf's validity
 */
public record SignedChain(String spiffeId, List<String> certificates, Instant notBefore, Instant notAfter) {

    public SignedChain {
        Objects.requireNonNull(spiffeId, "spiffeId");
        certificates = List.copyOf(certificates);
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
    }
}
