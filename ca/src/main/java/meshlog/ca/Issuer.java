package meshlog.ca;

import java.util.List;
import java.util.Objects;

/**
 * Who signs a cluster's certificates and what follows the leaf in the chain handed out.
 *
 * @param signer      the signing certificate and key
 * @param chainPem    PEM of the signer and every intermediate above it, without the root: what a workload presents
 *                    after its leaf
 * @param rootPem     PEM of the root the chain ends at, the last element of Istio's {@code cert_chain}
 */
record Issuer(SigningIdentity signer, List<String> chainPem, String rootPem) {

    Issuer {
        Objects.requireNonNull(signer, "signer");
        chainPem = List.copyOf(chainPem);
        Objects.requireNonNull(rootPem, "rootPem");
    }

    /** The chain as one PEM text. */
    String chain() {
        return String.join("", chainPem);
    }
}
