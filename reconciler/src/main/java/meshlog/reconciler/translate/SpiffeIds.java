package meshlog.reconciler.translate;

/**
 * Workload identities as Istio writes them: {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>}.
 * The trust domain is Istio's default, {@code cluster.local}, the one meshlog's CA issues under.
 */
final class SpiffeIds {

    static final String TRUST_DOMAIN = "cluster.local";

    private SpiffeIds() {
    }

    /** The identity of {@code serviceAccount} in {@code namespace}; empty without a service account. */
    static String of(String namespace, String serviceAccount) {
        if (serviceAccount == null || serviceAccount.isEmpty()) {
            return "";
        }
        return "spiffe://" + TRUST_DOMAIN + "/ns/" + namespace + "/sa/" + serviceAccount;
    }
}
