package meshlog.xdscheck;

/**
 * The SDS resource names Istio gives every workload, which the reconciler's TLS contexts name and the distributor
 * (or an agent) serves: {@code default} (the workload's key and certificate chain) and {@code ROOTCA} (the trust
 * bundle).
 */
public final class SecretNames {

    public static final String DEFAULT = "default";
    public static final String ROOTCA = "ROOTCA";

    private SecretNames() {
    }
}
