package meshlog.ops;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import meshlog.ca.CertificateAuthority;
import meshlog.ca.JoinTokens;
import io.grpc.TlsServerCredentials;
import meshlog.caserver.CaServer;
import meshlog.caserver.ServingTls;
import meshlog.configstore.LogSafe;
import meshlog.kafkaembedded.EmbeddedKafkaBroker;
import meshlog.configstore.kafka.KafkaClients;
import meshlog.configstore.kafka.Topics;
import meshlog.configstore.scope.ScopeRequestPublisher;
import meshlog.configstore.snapshot.SnapshotSubscriber;
import meshlog.configstore.status.ProxyStatusPublisher;
import meshlog.configstore.status.SnapshotAcksPublisher;
import meshlog.gatewayapi.model.MeshCluster;
import meshlog.gitsync.GitSync;
import meshlog.gitsync.signing.CommitSignatures;
import meshlog.gitsync.TreeLimits;
import meshlog.gitsync.git.ConfigRepository;
import meshlog.gitsync.kafka.KafkaCommitLog;
import meshlog.reconciler.kafka.ReconcilerService;
import meshlog.xds.XdsDistributor;
import meshlog.xds.grpc.EdgeLimits;
import meshlog.xds.grpc.XdsTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole control plane in one process, as {@code meshlog up} runs it: broker, CA, distributors, reconciler,
 * git-sync and admin server, each the same component a multi-process deployment would run, talking only through
 * Kafka topics and gRPC.
 */
final class MeshlogNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("meshlog.up");
    static final String REPO_ID = "default";
    /** Where the mirrors of remote repositories live, under the data dir. */
    static final String MIRRORS = "git-mirror";

    /** One distributor replica and the subscription that feeds it. */
    record Replica(String name, String cluster, XdsDistributor server, SnapshotSubscriber feed) {
    }

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<Replica> replicas = new ArrayList<>();
    private EmbeddedKafkaBroker broker;
    private String bootstrap;
    private ClusterDiscoveries discoveries;
    private ConfigRepository repo;
    private ReconcilerService reconciler;
    private GitSync gitSync;
    private SnapshotAcksPublisher acks;
    private AdminServer admin;
    private CaServer caServer;
    private List<String> clusters;
    private HeapGuard heap;
    private Watchdog watchdog;
    /** {@code /metrics}: the same meters the component processes have, over all of this node's components. */
    private final io.micrometer.prometheusmetrics.PrometheusMeterRegistry metrics =
            new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                    io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    /** How long a component's heartbeat may be missing before {@code /healthz} calls it stuck. */
    static final Duration STUCK_AFTER = Duration.ofSeconds(30);

    private MeshlogNode() {
    }

    /** Starts everything; on any failure closes what was started and rethrows. */
    static MeshlogNode start(UpOptions o) throws IOException {
        MeshlogNode n = new MeshlogNode();
        try {
            n.startAll(o);
            return n;
        } catch (RuntimeException | IOException e) {
            n.close();
            throw e;
        }
    }

    private void startAll(UpOptions o) throws IOException {
        long t0 = System.nanoTime();
        heap = HeapGuard.install(HeapGuard.percentFromProperty());
        watchdog = keep(new Watchdog(Duration.ofSeconds(1), STUCK_AFTER, System::nanoTime));
        ComponentProcess.JvmBinders.STANDARD.bindTo(metrics);
        repo = keep(o.remote() != null
                ? ConfigRepository.remote(o.remote(), o.dataDir().resolve(MIRRORS), o.branch())
                : ConfigRepository.open(o.repo().toFile(), o.branch()));
        GitWebhook webhook = o.webhookSecretFile() == null ? null
                : GitWebhook.fromFile(o.webhookSecretFile(), repo.branch());
        String token = o.adminTokenFile() == null ? null : AdminToken.read(o.adminTokenFile());
        if (!AdminAccess.isLoopback(o.bind())) {
            if (token == null) {
                LOG.warn("--bind {} without --admin-token-file: the admin API (repository path, commit authors and"
                        + " their emails, proxy ids) answers anyone who can reach it", LogSafe.value(o.bind()));
            }
        }
        clusters = declaredClusters(o.clusters(), o.limits());
        checkPorts(o);
        // Before anything starts: a bad --cacerts file or passphrase stops up at once, naming the file.
        CertificateAuthority ca = o.ca().keys().open(caDir(o.dataDir()), Clock.systemUTC());
        clusters.forEach(ca::ensureCluster);
        LOG.info("started ca trust-domain={} clusters={} keys: {}", ca.trustDomain(), String.join(",", clusters),
                o.ca().keys().describe(caDir(o.dataDir())));
        RollbackCommand.record(o.dataDir(), o.remote() != null ? o.remote().url()
                : o.repo().toAbsolutePath().toString(), repo.branch(), o.remote());
        if (o.kafka() == null) {
            if (o.kafkaSettings().replicationFactor().filter(rf -> rf > 1).isPresent()) {
                throw new IllegalArgumentException("--topic-replication-factor " + o.kafkaSettings()
                        .replicationFactor().get() + " needs --kafka: the embedded broker is one node");
            }
            if (!o.kafkaSettings().clientProperties().isEmpty()) {
                throw new IllegalArgumentException("--kafka-config needs --kafka: the embedded broker listens on"
                        + " loopback in plaintext");
            }
            broker = keep(EmbeddedKafkaBroker.start(o.dataDir().resolve("kafka"), 0));
            bootstrap = broker.bootstrapServers();
            KafkaClients.register(bootstrap, o.kafkaSettings()); // --topic-partitions
            keep(LogSource.publishAddress(o.dataDir(), bootstrap));
            LOG.info("started kafka (embedded) at {} data={} (address in {})", bootstrap,
                    o.dataDir().resolve("kafka"), o.dataDir().resolve(LogSource.ADDRESS_FILE));
        } else {
            bootstrap = o.kafka();
            KafkaClients.register(bootstrap, o.kafkaSettings());
            LOG.info("using kafka at {}: {}", LogSafe.value(bootstrap), o.kafkaSettings().describe());
        }
        try {
            Topics.ensure(bootstrap);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot use Kafka at " + bootstrap, e);
        }
        caServer = keep(CaServer.start(o.bind(), o.ca().port(), ca, JoinTokens.open(caDir(o.dataDir()),
                Clock.systemUTC()), clusters, o.ca().kubeApis(), Clock.systemUTC()));
        CaMetrics.bind(metrics, caServer.counts(), ca.trustBundlePem());
        LOG.info("started ca server (Istio certificate API, TLS) at {}:{} for {}; Kubernetes tokens reviewed for"
                + " {}", LogSafe.value(o.bind()), caServer.port(), CaServer.DNS_NAMES.get(0),
                o.ca().kubeApis().isEmpty() ? "no cluster (--kube-api)" : String.join(",", o.ca().kubeApis()
                        .keySet()));
        ProxyStatusPublisher status = keep(new ProxyStatusPublisher(bootstrap));
        acks = keep(new SnapshotAcksPublisher(bootstrap));
        startDistributors(o, ca, status);
        reconciler = keep(ReconcilerService.start(bootstrap, REPO_ID, clusters, Clock.systemUTC()));
        ReconcilerComponent.bind(metrics, reconciler);
        LOG.info("started reconciler clusters={}", String.join(",", clusters));
        // What `meshlog discovery --cluster C --kubeconfig F --root-cert DATA/ca/root-cert.pem` runs, for
        // --kubeconfig's clusters and for those whose Cluster object has spec.kubeconfig (as istiod, the node keeps
        // its clusters trusting its root); a start never waits for the API server.
        discoveries = keep(new ClusterDiscoveries(bootstrap, o.kubeconfigs(),
                caDir(o.dataDir()).resolve("root-cert.pem"), reconciler::state, metrics));
        o.kubeconfigs().keySet().forEach(cluster -> {
            if (!clusters.contains(cluster)) {
                LOG.warn("--kubeconfig {}: not a cluster of the mesh ({}); its services are discovered but not "
                        + "served", LogSafe.value(cluster), String.join(",", clusters));
            }
        });
        KafkaCommitLog log = keep(new KafkaCommitLog(bootstrap, REPO_ID));
        gitSync = keep(new GitSync(REPO_ID, repo, log, o.limits(), o.signatures())
                .reportTo(GitSyncMetrics.bind(metrics, repo)).start(o.poll()));
        io.micrometer.core.instrument.Gauge.builder("meshlog_git_sync_failing",
                () -> gitSync.lastFailure() != null ? 1 : 0)
                .description("1 while the last read of git or write to Kafka failed").register(metrics);
        LOG.info("started git-sync repo={} branch={} poll={}ms limits: files={} repo-bytes={} commit-bytes={}"
                + " commit-nodes={}", LogSafe.value(o.repoName()), LogSafe.value(repo.branch()), o.poll().toMillis(),
                o.limits().maxFiles(), o.limits().maxRepoBytes(), o.limits().maxCommitBytes(),
                o.limits().maxCommitNodes());
        logSignatures(LOG, o.signatures());
        admin = keep(AdminServer.start(o.bind(), o.adminPort(), token, new NodeStatus(this), webhook,
                gitSync::pollSoon));
        LOG.info("started admin http://{}:{}/api/status{}{}", LogSafe.value(o.bind()), admin.port(),
                token == null ? "" : " (bearer token required)",
                webhook == null ? "" : "; webhook POST " + WebhookRequest.PATH + " (signed with --webhook-secret-file)");
        LOG.info("meshlog up in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    private void startDistributors(UpOptions o, CertificateAuthority ca, ProxyStatusPublisher status) {
        CaIdentityIssuer identities = new CaIdentityIssuer(ca);
        java.util.Iterator<Integer> ports = distributorPorts(o).iterator();
        CommitLogTimes commits = keep(new CommitLogTimes(bootstrap, REPO_ID));
        java.util.Iterator<Integer> tlsPorts = distributorTlsPorts(o).iterator();
        ScopeRequestPublisher scopeRequests = keep(new ScopeRequestPublisher(bootstrap));
        if (o.ca().insecurePlaintext()) {
            LOG.warn("!!! INSECURE (--insecure-plaintext): the distributors' plaintext xDS ports serve SDS secrets,"
                    + " workload private keys included, to ANY client that names a namespace and service account."
                    + " For a local demo only; proxies should connect through meshlog agent over mTLS. !!!");
        }
        for (String cluster : clusters) {
            // One serving certificate per cluster, shared by its replicas (the clients check only its name).
            ServingTls tls = keep(ServingTls.start(ca, cluster, TlsServerCredentials.ClientAuth.REQUIRE,
                    Clock.systemUTC()));
            for (int i = 0; i < o.replicas(); i++) {
                XdsDistributor server = keep(XdsDistributor.start(cluster, o.bind(), ports.next(),
                        identities, status, o.edge(), new XdsTransport(tlsPorts.next(), tls.credentials(),
                                ca.trustDomain(), o.ca().insecurePlaintext())));
                server.reportScopesTo(scopeRequests);
                String name = cluster + "-" + i;
                java.util.function.Consumer<meshlog.configstore.status.SnapshotAcks> convergence =
                        DistributorMetrics.bind(metrics, cluster, name, server);
                server.reportAcksTo(a -> {
                    acks.accept(a);
                    convergence.accept(a);
                });
                SnapshotSubscriber feed = keep(SnapshotSubscriber.start(bootstrap, Set.of(cluster), server::accept));
                DistributorMetrics.bindLag(metrics, cluster, name, feed);
                DistributorMetrics.bindCommitToAck(metrics, cluster, name, server, commits);
                replicas.add(new Replica(name, cluster, server, feed));
                // The served version needs the distributor's lock, which every snapshot push and new group holds.
                watchdog.watch("distributor " + name, server::currentVersion);
                LOG.info("started distributor {} cluster={} at {} (plaintext: routing{}), mTLS at {}:{}", name,
                        cluster, server.address(), o.ca().insecurePlaintext() ? " AND SECRETS" : " only",
                        LogSafe.value(o.bind()), server.tlsPort());
            }
        }
        EdgeLimits e = o.edge();
        LOG.info("xDS edge limits: node-id={} B metadata={} B message={} B requests={}/s burst={} streams={} per"
                + " address, {} in all; pending={} B per stream; connection age={}", e.maxNodeIdBytes(),
                e.maxMetadataBytes(), e.maxMessageBytes(), e.requestsPerSecond(), e.requestBurst(),
                e.maxStreamsPerAddress(), e.maxStreams(), e.maxPendingBytes(),
                e.maxConnectionAge().isZero() ? "never" : e.maxConnectionAge().toSeconds() + " s");
    }

    /** The repository's {@code Cluster} objects at the branch head, or the defaults when it declares none. */
    private List<String> declaredClusters(List<String> defaults, TreeLimits limits) throws IOException {
        String head = repo.head();
        if (head == null) {
            return defaults;
        }
        List<String> declared = repo.configFiles(head, limits).compile().resources().stream()
                .filter(p -> p.resource() instanceof MeshCluster).map(p -> p.resource().metadata().name())
                .distinct().sorted().toList();
        if (declared.isEmpty()) {
            return defaults;
        }
        LOG.info("clusters {} are declared by Cluster objects in the repository (--clusters is not used)",
                LogSafe.value(String.join(",", declared)));
        return declared;
    }

    /**
     * Distributor ports run from --xds-port up, one per cluster and replica, passing over the CA and admin ports:
     * with the defaults 15010, 15011, 15013, 15015 (15012 is the CA's, as istiod's; 15014 the admin port). All are
     * 0 (any free) when --xds-port is 0.
     */
    static List<Integer> distributorPorts(int first, int count, Set<Integer> reserved) {
        List<Integer> ports = new ArrayList<>();
        int next = first;
        for (int i = 0; i < count; i++) {
            while (first != 0 && reserved.contains(next)) {
                next++;
            }
            ports.add(first == 0 ? 0 : next++);
        }
        return ports;
    }

    private List<Integer> distributorPorts(UpOptions o) {
        return distributorPorts(o.xdsPort(), clusters.size() * o.replicas(),
                new java.util.HashSet<>(List.of(o.ca().port(), o.adminPort())));
    }

    /**
     * The distributors' mTLS ports, one each, from {@code --xds-tls-port} up (by default right after the plaintext
     * ones: 15016..15019 with the defaults), passing over the CA, admin and plaintext ports. Not the CA's 15012 as
     * istiod shares it: {@code up} runs several distributors, and one port serves one ADS service.
     */
    private List<Integer> distributorTlsPorts(UpOptions o) {
        return distributorTlsPorts(o, distributorPorts(o));
    }

    static List<Integer> distributorTlsPorts(UpOptions o, List<Integer> plaintext) {
        int first = o.ca().xdsTlsPort();
        if (first == CaOptions.AFTER_PLAINTEXT) {
            first = o.xdsPort() == 0 ? 0 : plaintext.get(plaintext.size() - 1) + 1;
        }
        java.util.Set<Integer> reserved = new java.util.HashSet<>(plaintext);
        reserved.addAll(List.of(o.ca().port(), o.adminPort()));
        return distributorPorts(first, plaintext.size(), reserved);
    }

    /** Refuse clashing or out-of-range ports before anything starts. */
    private void checkPorts(UpOptions o) {
        List<Integer> ports = distributorPorts(o);
        int last = ports.get(ports.size() - 1);
        if (o.ca().port() != 0 && o.ca().port() == o.adminPort()) {
            throw new IllegalArgumentException("--ca-port " + o.ca().port() + " and --admin-port " + o.adminPort()
                    + " are the same port; choose another for one of them");
        }
        if (last > 65535) {
            throw new IllegalArgumentException("distributor ports " + o.xdsPort() + ".." + last + " exceed 65535");
        }
        // Before the broker and the CA exist: a port in use must not leave a Kafka log or a new CA behind.
        if (o.xdsPort() != 0) {
            for (int p : ports) {
                requireFree(o.bind(), p, "--xds-port " + o.xdsPort() + " (distributor ports " + ports + ")");
            }
        }
        List<Integer> tlsPorts = distributorTlsPorts(o);
        if (tlsPorts.get(tlsPorts.size() - 1) > 65535) {
            throw new IllegalArgumentException("distributor mTLS ports " + tlsPorts + " exceed 65535");
        }
        for (int p : tlsPorts) {
            if (p != 0) {
                requireFree(o.bind(), p, "--xds-tls-port " + tlsPorts.get(0) + " (distributor mTLS ports "
                        + tlsPorts + ")");
            }
        }
        if (o.adminPort() != 0) {
            requireFree(o.bind(), o.adminPort(), "--admin-port " + o.adminPort());
        }
        if (o.ca().port() != 0) {
            requireFree(o.bind(), o.ca().port(), "--ca-port " + o.ca().port());
        }
    }

    private static void requireFree(String bind, int port, String flag) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.bind(new java.net.InetSocketAddress(bind, port));
        } catch (IOException e) {
            throw new IllegalArgumentException("port " + port + " on " + LogSafe.value(bind) + " is in use (another"
                    + " meshlog up?); choose another " + flag.replaceFirst(" .*", "") + " (" + flag + ")");
        }
    }

    /** The CA's directory under a data dir; {@code meshlog token create} finds the join-token key there. */
    static java.nio.file.Path caDir(java.nio.file.Path dataDir) {
        return dataDir.resolve("ca");
    }

    /** The CA server's port (useful when started on 0). */
    int caPort() {
        return caServer.port();
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    /** The node's own discovery components ({@code --kubeconfig}), by cluster name. */
    List<DiscoveryComponent> discoveries() {
        return discoveries == null ? List.of() : discoveries.components();
    }

    /** Why the node's discoveries are not serving, by component (those that cannot start included). */
    java.util.Map<String, String> discoveryProblems() {
        return discoveries == null ? java.util.Map.of() : discoveries.notReady();
    }

    String bootstrap() {
        return bootstrap;
    }

    List<Replica> replicas() {
        return List.copyOf(replicas);
    }

    List<String> clusters() {
        return clusters;
    }

    ReconcilerService reconciler() {
        return reconciler;
    }

    /** What {@code --require-signed} allows, as fingerprints and principals (never keys); nothing without it. */
    static void logSignatures(Logger log, CommitSignatures signatures) {
        if (signatures != null) {
            log.info("git-sync applies only signed commits (--require-signed): {}",
                    LogSafe.value(signatures.describe(), 4000));
        }
    }

    GitSync gitSync() {
        return gitSync;
    }

    ConfigRepository repository() {
        return repo;
    }

    HeapGuard heap() {
        return heap;
    }

    Watchdog watchdog() {
        return watchdog;
    }

    String metrics() {
        return metrics.scrape();
    }

    int adminPort() {
        return admin.port();
    }

    /** Stops components in reverse start order; the broker last, so the others can finish their writes. */
    @Override
    public void close() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                LOG.warn("error while stopping {}: {}", opened.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        opened.clear();
    }
}
