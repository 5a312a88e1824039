package meshlog.configstore.endpoints;

/**
 * Keys of {@code meshlog.endpoints}: {@code cluster/namespace/service} for a service, and
 * {@code cluster/namespace/_workloads} for a namespace's workloads. Service names are DNS-1035 labels, so no
 * service is called {@code _workloads}; cluster and namespace names are DNS labels, so {@code /} splits a key.
 */
public final class EndpointKeys {

    public static final String WORKLOADS = "_workloads";

    private EndpointKeys() {
    }

    public static String service(String cluster, String namespace, String name) {
        return cluster + "/" + namespace + "/" + name;
    }

    public static String workloads(String cluster, String namespace) {
        return cluster + "/" + namespace + "/" + WORKLOADS;
    }

    /** The prefix every key of {@code cluster} starts with. */
    public static String clusterPrefix(String cluster) {
        return cluster + "/";
    }
}
