package meshlog.agent;

import io.grpc.TlsServerCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import meshlog.ca.CertificateAuthority;
import meshlog.ca.JoinTokens;
import meshlog.ca.WorkloadCertificate;
import meshlog.ca.WorkloadIdentity;
import meshlog.caserver.CaServer;
import meshlog.caserver.ServingTls;
import meshlog.xds.Identity;
import meshlog.xds.IdentityIssuer;
import meshlog.xds.XdsDistributor;
import meshlog.xds.grpc.EdgeLimits;
import meshlog.xds.grpc.XdsTransport;

/**
 * The control plane an agent talks to, in-process and real: the mesh CA behind Istio's certificate API (TLS, join
 * tokens) and one distributor of cluster {@code east} with its mTLS port and no secrets on the plaintext one.
 */
public final class ControlPlane implements AutoCloseable {

    public static final String CLUSTER = "east";

    public final Path dir;
    public final CertificateAuthority ca;
    public final JoinTokens joinTokens;
    public final CaServer caServer;
    public final ServingTls tls;
    public final XdsDistributor distributor;

    public ControlPlane(Path dir) throws Exception {
        this.dir = dir;
        ca = CertificateAuthority.open(dir.resolve("ca"), "cluster.local", Clock.systemUTC());
        ca.ensureCluster(CLUSTER);
        joinTokens = JoinTokens.open(dir.resolve("ca"), Clock.systemUTC());
        caServer = CaServer.start("127.0.0.1", 0, ca, joinTokens, List.of(CLUSTER), Map.of(), Clock.systemUTC());
        tls = ServingTls.start(ca, CLUSTER, TlsServerCredentials.ClientAuth.REQUIRE, Clock.systemUTC());
        distributor = XdsDistributor.start(CLUSTER, "127.0.0.1", 0, new IdentityIssuer() {
            @Override
            public Identity issue(String cluster, String namespace, String serviceAccount) {
                throw new AssertionError("the agent serves secrets; the distributor is never asked for a key");
            }

            @Override
            public String trustBundlePem() {
                return ca.trustBundlePem();
            }
        }, s -> { }, EdgeLimits.DEFAULTS, new XdsTransport(0, tls.credentials(), ca.trustDomain(), false));
    }

    /** Agent options for {@code namespace}/{@code serviceAccount}, authenticated by a fresh join token. */
    public AgentOptions agent(String name, String namespace, String serviceAccount, Duration ttl, Path grpcOutput)
            throws Exception {
        Path token = Files.writeString(dir.resolve(name + ".token"),
                joinTokens.create(new WorkloadIdentity(namespace, serviceAccount), Duration.ofMinutes(10)));
        Path root = Files.writeString(dir.resolve("root-cert.pem"), ca.trustBundlePem());
        return new AgentOptions("127.0.0.1", caServer.port(), "127.0.0.1", distributor.tlsPort(), root, null, token,
                CLUSTER, dir.resolve(name + ".sock"), grpcOutput, KeyAlgorithm.EC_P256, ttl, null);
    }

    public WorkloadCertificate issue(String namespace, String serviceAccount) {
        return ca.issue(CLUSTER, namespace, serviceAccount);
    }

    @Override
    public void close() {
        distributor.close();
        tls.close();
        caServer.close();
    }
}
