package meshlog.injector;

import java.util.Objects;

/**
 * What every injected sidecar of one workload cluster is told: the cluster's name, the image both injected
 * containers run, and where the cluster's distributor serves xDS and the CA.
 *
 * @param cluster     the workload cluster's name, as its Cluster object in git (node metadata {@code CLUSTER_ID})
 * @param image       the meshlog image with Envoy (docs/operations.md, "Sidecar injection")
 * @param xdsAddress  HOST:PORT of the distributor Service's mTLS xDS port
 * @param caAddress   HOST:PORT of the CA (Istio's certificate API, TLS)
 */
public record InjectionSettings(String cluster, String image, String xdsAddress, String caAddress) {

    /**
     * The distributor Service {@code meshlog} in {@code meshlog-system} (deploy/kubernetes), its mTLS xDS port: 15012,
     * as istiod's, where the agent's {@code --xds} connects.
     */
    public static final String DEFAULT_XDS_ADDRESS = "meshlog.meshlog-system.svc:15012";
    /** The CA's Service: not in deploy/kubernetes yet (docs/operations.md, "Sidecar injection"). */
    public static final String DEFAULT_CA_ADDRESS = "meshlog-ca.meshlog-system.svc:15012";
    public static final String DEFAULT_IMAGE = "meshlog-sidecar";

    public InjectionSettings {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(xdsAddress, "xdsAddress");
        Objects.requireNonNull(caAddress, "caAddress");
    }

    /** The defaults for {@code cluster}: the image and the Service deploy/kubernetes installs. */
    public static InjectionSettings defaults(String cluster) {
        return new InjectionSettings(cluster, DEFAULT_IMAGE, DEFAULT_XDS_ADDRESS, DEFAULT_CA_ADDRESS);
    }
}
