package meshlog.xds;

/**
 * Where the distributor gets workload certificates from: the mesh CA, adapted in {@code ops/}.
 * Called once per (cluster, namespace, service account) and again after the identity's {@link Identity#renewAt()}.
 * Implementations must be thread-safe; they may block (key generation, a remote CA).
 */
public interface IdentityIssuer {

    /** A certificate for {@code spiffe://<trust-domain>/ns/<namespace>/sa/<serviceAccount>} in {@code cluster}. */
    Identity issue(String cluster, String namespace, String serviceAccount);

    /** The PEM roots proxies should trust (SDS resource {@code ROOTCA}). */
    String trustBundlePem();
}
