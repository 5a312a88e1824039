package meshlog.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@code meshlog agent} runs with.
 *
 * @param caHost        the CA server ({@code meshlog up}'s {@code --ca-port}, 15012), checked as
 *                      {@code istiod.istio-system.svc} whatever address is dialled
 * @param xdsHost       a distributor's mTLS port, to which Envoy's ADS is proxied
 * @param rootCertFile  the mesh root(s) to trust the CA and distributors with, and to serve as {@code ROOTCA}
 * @param tokenFile     a Kubernetes service-account token (audience {@code istio-ca}), read at each issuance as
 *                      the kubelet rotates it; or null
 * @param joinTokenFile a one-time join token from {@code meshlog token create}; or null. One of the two is needed
 *                      for the first certificate; renewals authenticate with the current certificate
 * @param cluster       sent as {@code clusterid}; null: the CA's first cluster
 * @param socket        the Unix domain socket Envoy's xDS and SDS point at
 * @param grpcOutput    for proxyless gRPC: where the key, certificates and gRPC bootstrap are written; or null
 * @param certTtl       the validity asked for (24 h by default, at most 90 days)
 * @param nodeId        the node id of the gRPC bootstrap written to {@code grpcOutput}
 */
public record AgentOptions(String caHost, int caPort, String xdsHost, int xdsPort, Path rootCertFile,
                           Path tokenFile, Path joinTokenFile, String cluster, Path socket, Path grpcOutput,
                           KeyAlgorithm keyAlgorithm, Duration certTtl, String nodeId) {

    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    public AgentOptions {
        Objects.requireNonNull(caHost, "caHost");
        Objects.requireNonNull(xdsHost, "xdsHost");
        Objects.requireNonNull(rootCertFile, "rootCertFile");
        Objects.requireNonNull(socket, "socket");
        keyAlgorithm = keyAlgorithm == null ? KeyAlgorithm.EC_P256 : keyAlgorithm;
        certTtl = certTtl == null ? DEFAULT_TTL : certTtl;
        if (tokenFile == null && joinTokenFile == null) {
            throw new IllegalArgumentException("the first certificate needs a credential: --token-file (a Kubernetes"
                    + " service-account token) or --join-token-file (from meshlog token create)");
        }
    }
}
