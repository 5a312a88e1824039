package meshlog.ops;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import meshlog.ca.CertificateAuthority;
import meshlog.configstore.LogSafe;
import meshlog.configstore.kafka.Topics;
import meshlog.configstore.scope.ScopeRequestPublisher;
import meshlog.configstore.snapshot.SnapshotSubscriber;
import meshlog.configstore.status.ProxyStatusPublisher;
import meshlog.configstore.status.SnapshotAcks;
import meshlog.configstore.status.SnapshotAcksPublisher;
import meshlog.xds.XdsDistributor;
import meshlog.xds.grpc.EdgeLimits;
import meshlog.xds.grpc.XdsTransport;
import io.grpc.TlsServerCredentials;
import meshlog.caserver.ServingTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code meshlog distributor --cluster NAME}: one distributor replica. It reads its cluster's snapshots from the
 * log and serves them; run as many per cluster as wanted, each serves any proxy of the cluster.
 */
final class DistributorComponent implements Component {

    private static final Logger LOG = LoggerFactory.getLogger("meshlog.distributor");
    static final Set<String> FLAGS = java.util.stream.Stream.concat(CaKeys.FLAGS.stream(), java.util.stream.Stream.of(
            "cluster", "xds-port", "ca-dir", "xds-max-node-id", "xds-max-metadata", "xds-max-message",
            "xds-requests-per-second", "xds-request-burst", "xds-max-streams-per-address", "xds-max-streams",
            "xds-max-pending-bytes", "xds-max-connection-age", "xds-tls-port"))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    static final Set<String> BOOLEANS = Set.of(CaOptions.INSECURE_PLAINTEXT);

    /**
     * @param caDir the CA's directory, shared by every distributor until the CA signs CSRs (issue 10); default
     *              {@code DATA/ca}, created on first use
     * @param xdsTlsPort the mTLS xDS port (default 15012, as istiod's: the CA runs in another process here)
     * @param insecurePlaintext serve SDS secrets on the plaintext port to whoever claims an identity
     * @param keys {@code --cacerts} and {@code --ca-key-passphrase-file}, as {@code up} takes them
     */
    record Options(String cluster, int xdsPort, Path caDir, EdgeLimits edge, int xdsTlsPort,
                   boolean insecurePlaintext, CaKeys keys) {
        static Options parse(Flags f, Path dataDir) {
            return new Options(DistributorComponent.cluster(f), UpOptions.port(f, "xds-port", 15010),
                    f.has("ca-dir") ? Path.of(f.get("ca-dir", "")) : dataDir.resolve("ca"), UpOptions.edge(f),
                    UpOptions.port(f, "xds-tls-port", CaOptions.DEFAULT_PORT), f.bool(CaOptions.INSECURE_PLAINTEXT),
                    CaKeys.parse(f));
        }
    }

    /** {@code --cluster NAME}, required: a DNS label, as a cluster's name in git is (discovery takes it too). */
    static String cluster(Flags f) {
        String cluster = f.get("cluster", "");
        if (!cluster.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
            throw new Flags.UsageException(f.has("cluster")
                    ? "--cluster must be a DNS label (a-z, 0-9, '-'), got \"" + LogSafe.value(cluster) + "\""
                    : "--cluster NAME is required");
        }
        return cluster;
    }

    private final String cluster;
    private final XdsDistributor server;
    private final SnapshotSubscriber feed;
    private final List<AutoCloseable> opened;
    private final CommitLogTimes commits;

    /** Where ACK batches go for the convergence histogram: nowhere until {@link #bindMetrics} runs. */
    private final AtomicReference<Consumer<SnapshotAcks>> convergence;

    private DistributorComponent(String cluster, XdsDistributor server, SnapshotSubscriber feed,
                                 AtomicReference<Consumer<SnapshotAcks>> convergence, List<AutoCloseable> opened,
                                 CommitLogTimes commits) {
        this.cluster = cluster;
        this.commits = commits;
        this.convergence = convergence;
        this.server = server;
        this.feed = feed;
        this.opened = opened;
    }

    static DistributorComponent start(String bootstrap, String bind, Options o) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Topics.ensure(bootstrap);
            CertificateAuthority ca = o.keys().open(o.caDir(), Clock.systemUTC());
            ca.ensureCluster(o.cluster());
            ProxyStatusPublisher status = keep(opened, new ProxyStatusPublisher(bootstrap));
            ScopeRequestPublisher scopes = keep(opened, new ScopeRequestPublisher(bootstrap));
            SnapshotAcksPublisher acks = keep(opened, new SnapshotAcksPublisher(bootstrap));
            ServingTls tls = keep(opened, ServingTls.start(ca, o.cluster(), TlsServerCredentials.ClientAuth.REQUIRE,
                    Clock.systemUTC()));
            if (o.insecurePlaintext()) {
                LOG.warn("!!! INSECURE (--insecure-plaintext): plaintext xDS port {} serves SDS secrets, workload"
                        + " private keys included, to ANY client that names a namespace and service account !!!",
                        o.xdsPort());
            }
            XdsDistributor server = keep(opened, XdsDistributor.start(o.cluster(), bind, o.xdsPort(),
                    new CaIdentityIssuer(ca), status, o.edge(), new XdsTransport(o.xdsTlsPort(), tls.credentials(),
                            ca.trustDomain(), o.insecurePlaintext())));
            server.reportScopesTo(scopes);
            AtomicReference<Consumer<SnapshotAcks>> convergence = new AtomicReference<>(a -> { });
            server.reportAcksTo(a -> {
                acks.accept(a);
                convergence.get().accept(a);
            });
            CommitLogTimes commits = keep(opened, new CommitLogTimes(bootstrap, MeshlogNode.REPO_ID));
            SnapshotSubscriber feed = keep(opened, SnapshotSubscriber.start(bootstrap, Set.of(o.cluster()),
                    server::accept));
            LOG.info("started distributor cluster={} at {} mtls-port={} ca: {}", o.cluster(), server.address(),
                    server.tlsPort(), o.keys().describe(o.caDir()));
            return new DistributorComponent(o.cluster(), server, feed, convergence, opened, commits);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    private static <T extends AutoCloseable> T keep(List<AutoCloseable> opened, T c) {
        opened.add(c);
        return c;
    }

    private static void closeAll(List<AutoCloseable> opened) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                LOG.warn("error while stopping {}: {}", opened.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        opened.clear();
    }

    @Override
    public String name() {
        return "distributor " + cluster;
    }

    @Override
    public Map<String, String> notReady() {
        if (feed.failure() != null) {
            return Map.of(name(), feed.failure().toString());
        }
        if (!feed.caughtUp()) {
            return Map.of(name(), "reading snapshots");
        }
        if (server.currentVersion().isEmpty()) {
            return Map.of(name(), "the log holds no snapshot for cluster " + cluster + " yet: is it declared (a"
                    + " Cluster object, or the reconciler's --clusters) and is a reconciler running?");
        }
        return Map.of();
    }

    /** @param proxies connected proxies by state; they are listed on {@code /api/proxies} */
    record Status(String cluster, String address, String version, Map<String, String> typeVersions,
                  Map<String, Integer> proxies) {
    }

    private MeshlogNode.Replica replica() {
        return new MeshlogNode.Replica(server.address(), cluster, server, feed);
    }

    @Override
    public Object status() {
        NodeStatus.Distributor d = NodeStatus.distributor(replica());
        return new Status(cluster, d.address(), d.version(), d.typeVersions(), d.proxies());
    }

    @Override
    public Object proxyConfig(String proxyId, String type) {
        return LiveProxyConfig.of(cluster, server.address(), server, proxyId, type);
    }

    @Override
    public List<ProxySync.Row> proxies() {
        return NodeStatus.proxies(replica());
    }

    @Override
    public void bindMetrics(MeterRegistry registry) {
        convergence.set(DistributorMetrics.bind(registry, cluster, server.address(), server));
        DistributorMetrics.bindLag(registry, cluster, server.address(), feed);
        DistributorMetrics.bindCommitToAck(registry, cluster, server.address(), server, commits);
    }

    @Override
    public Runnable heartbeat() {
        return server::currentVersion;
    }

    XdsDistributor server() {
        return server;
    }

    @Override
    public void close() {
        closeAll(opened);
    }
}
