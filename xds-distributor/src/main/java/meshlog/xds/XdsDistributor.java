package meshlog.xds;

import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import meshlog.configstore.scope.ProxyScope;
import meshlog.configstore.scope.ScopeRequest;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.configstore.status.ProxyStatus;
import meshlog.configstore.status.SnapshotAcks;
import meshlog.xds.grpc.AdsServer;
import meshlog.xds.grpc.EdgeLimits;
import meshlog.xds.grpc.XdsTransport;
import meshlog.xds.proxy.ProxyGroup;
import meshlog.xds.proxy.ProxyNode;
import meshlog.xds.snapshot.DecodedSnapshot;
import meshlog.xds.snapshot.SecretBuilder;
import meshlog.xds.snapshot.SnapshotDecoder;
import meshlog.xds.status.AckBatcher;
import meshlog.xds.status.AckRecorder;
import meshlog.xds.status.StatusBoard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stateless xDS server for the proxies of one Kubernetes cluster: Envoy sidecars and proxyless gRPC clients.
 *
 * <p>Serves ADS, state-of-the-world (what gRPC clients speak) and delta (what Envoy sidecars speak), from the same
 * snapshots and versions.
 * Proxies are grouped by (cluster, scope, namespace, service account): every group is served the latest
 * {@link ScopeSnapshot} of its scope ({@code grpc~<ns>} for gRPC clients, {@code sidecar~...} for Envoy) plus its
 * own SDS secrets {@code default} and {@code ROOTCA}. A proxy claiming another
 * cluster, or none, is refused with PERMISSION_DENIED. A NACKed version is held, not resent; the proxy keeps its
 * last good config until a new version arrives. ACKs and NACKs go to the status sink. What one client may ask (node
 * and message sizes, request rate, streams, bytes it leaves unread) is bounded by {@link EdgeLimits}.
 *
 * <p>Security: on the mTLS port ({@link XdsTransport}) a proxy's identity is its client certificate's SPIFFE ID, and
 * node metadata claiming another namespace or service account is refused with PERMISSION_DENIED. No workload key is
 * made or held here: a proxy's key and certificate come from its own meshlog agent. Only
 * {@code --insecure-plaintext}, for a demo without agents, mints keys and hands them (over plaintext) to whoever
 * claims a namespace and service account.
 */
public final class XdsDistributor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(XdsDistributor.class);
    private static final long RENEWAL_SWEEP_SECONDS = 60;
    private static final String GRPC_SCOPE = ProxyScope.GRPC.id();

    private final String cluster;
    private final String host;
    private final SimpleCache<ProxyGroup> cache = new SimpleCache<>(node -> ProxyNode.of(node).group());
    private final IdentityCache identities;
    private final StatusBoard status;
    private final AckBatcher ackBatcher;
    private final AckRecorder acks;
    /** What each group is served now, for the ACK recorder on xDS threads: written under the lock, read without. */
    private final Map<ProxyGroup, AckRecorder.Served> servedView = new ConcurrentHashMap<>();
    /** Since when each scope's current version is served here. */
    private final Map<String, java.time.Instant> servedSince = new HashMap<>();
    private final Set<ProxyGroup> groups = new LinkedHashSet<>();
    /** Open streams per group: a group with none is dropped at the next sweep, with its certificate. */
    private final Map<ProxyGroup, Integer> streams = new HashMap<>();
    private final Set<String> foreignClustersLogged = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService renewals;
    private volatile AdsServer server;
    /** The snapshot served per scope id; a scope with none yet is served nothing but SDS. */
    private final Clock clock;
    private final Map<String, DecodedSnapshot> byScope = new HashMap<>();
    /** Each distinct resource once, whichever scopes serve it. */
    private final meshlog.xds.snapshot.ResourcePool pool = new meshlog.xds.snapshot.ResourcePool();
    /** The scope behind each scope id of a connected group, and since when its snapshot has been awaited. */
    private final Map<String, ProxyScope> scopes = new HashMap<>();
    private final Map<String, java.time.Instant> waitingSince = new HashMap<>();
    private final Set<String> fallbackLogged = ConcurrentHashMap.newKeySet();
    private Consumer<ScopeRequest> scopeRequests = r -> {
    };
    /** How long a proxy of a scope not computed yet waits before it is served its namespace's scope. */
    static final java.time.Duration SCOPE_WAIT = java.time.Duration.ofSeconds(5);

    private XdsDistributor(String cluster, String host, IdentityCache identities, Consumer<ProxyStatus> statusSink,
                           Clock clock) {
        this.cluster = cluster;
        this.host = host;
        this.identities = identities;
        this.status = new StatusBoard(cluster, this::address, statusSink, clock);
        this.ackBatcher = new AckBatcher(cluster, this::address, clock);
        this.acks = new AckRecorder(servedView::get, ackBatcher, clock);
        this.clock = clock;
        this.renewals = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "xds-identity-renewal-" + cluster);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts serving ADS on {@code host:port} ({@code port} 0 picks a free one). Nothing but SDS is served until the
     * first {@link #accept(ScopeSnapshot)}.
     *
     * @param statusSink called with a proxy's status on every change of its ACK/NACK state and on disconnect;
     *                   on gRPC threads, so it must be quick and thread-safe
     */
    public static XdsDistributor start(String cluster, String host, int port, IdentityIssuer identities,
                                       Consumer<ProxyStatus> statusSink) {
        return start(cluster, host, port, identities, statusSink, EdgeLimits.DEFAULTS);
    }

    /** Like {@link #start(String, String, int, IdentityIssuer, Consumer)}, with the gRPC edge's limits. */
    public static XdsDistributor start(String cluster, String host, int port, IdentityIssuer identities,
                                       Consumer<ProxyStatus> statusSink, EdgeLimits limits) {
        return start(cluster, host, port, identities, statusSink, limits, XdsTransport.PLAINTEXT_ONLY);
    }

    /**
     * Like {@link #start(String, String, int, IdentityIssuer, Consumer, EdgeLimits)}, with an mTLS port or
     * secrets on the plaintext one ({@link XdsTransport}); {@code port} is the plaintext port.
     */
    public static XdsDistributor start(String cluster, String host, int port, IdentityIssuer identities,
                                       Consumer<ProxyStatus> statusSink, EdgeLimits limits, XdsTransport transport) {
        return start(cluster, host, port, identities, statusSink, Clock.systemUTC(), true, limits, transport);
    }

    static XdsDistributor start(String cluster, String host, int port, IdentityIssuer identities,
                                Consumer<ProxyStatus> statusSink, Clock clock, boolean holdNacks) {
        return start(cluster, host, port, identities, statusSink, clock, holdNacks, EdgeLimits.DEFAULTS,
                XdsTransport.PLAINTEXT_ONLY);
    }

    static XdsDistributor start(String cluster, String host, int port, IdentityIssuer identities,
                                Consumer<ProxyStatus> statusSink, Clock clock, boolean holdNacks, EdgeLimits limits) {
        return start(cluster, host, port, identities, statusSink, clock, holdNacks, limits,
                XdsTransport.PLAINTEXT_ONLY);
    }

    static XdsDistributor start(String cluster, String host, int port, IdentityIssuer identities,
                                Consumer<ProxyStatus> statusSink, Clock clock, boolean holdNacks, EdgeLimits limits,
                                XdsTransport transport) {
        XdsDistributor distributor =
                new XdsDistributor(cluster, host, new IdentityCache(identities, clock), statusSink, clock);
        distributor.server = AdsServer.start(host, port, cluster, distributor.cache,
                new GroupReleasingListener(new TeeListener(distributor.status, distributor.acks),
                        distributor::released), distributor::ensureGroup, holdNacks, limits, transport);
        distributor.renewals.scheduleWithFixedDelay(distributor::sweep, RENEWAL_SWEEP_SECONDS,
                RENEWAL_SWEEP_SECONDS, TimeUnit.SECONDS);
        LOG.info("serving xDS cluster={} address={}{}", cluster, distributor.server.address(),
                transport.tls() == null ? "" : " mtls-port=" + distributor.server.tlsPort());
        if (transport.insecurePlaintext()) {
            LOG.warn("INSECURE: cluster={} plaintext xDS port {} serves SDS secrets, workload private keys included,"
                    + " to any client naming a namespace and service account (--insecure-plaintext)", cluster,
                    distributor.server.port());
        }
        return distributor;
    }

    public int port() {
        return server.port();
    }

    /** The mTLS xDS port, or -1 without one. */
    public int tlsPort() {
        return server.tlsPort();
    }

    /** Where to report scopes the reconciler has not computed yet (ops wires it to {@code meshlog.scopes}). */
    public synchronized void reportScopesTo(Consumer<ScopeRequest> requests) {
        this.scopeRequests = requests;
    }

    /**
     * Where to send the proxies' ACKs and NACKs of whole scope versions, one record per version per flush interval
     * (ops wires it to {@code meshlog.proxy-acks}); called on the batching thread, never on an xDS thread.
     */
    public void reportAcksTo(Consumer<SnapshotAcks> sink) {
        ackBatcher.reportTo(sink);
    }

    /**
     * Where to report each scope version every proxy it was pushed to has ACKed (ops measures commit to last ACK);
     * called on an xDS thread, so it must be quick.
     */
    public void reportConvergedTo(Consumer<meshlog.xds.status.VersionConvergence.Converged> sink) {
        acks.reportConvergedTo(sink);
    }

    /** Proxy answers dropped because the batching queue was full (a metric; 0 unless Kafka-side work stalls). */
    public long ackAnswersDropped() {
        return ackBatcher.dropped();
    }

    /** {@code host:port} as proxies reach it. */
    public String address() {
        AdsServer started = server;
        return started == null ? host : started.address();
    }

    /**
     * Serves {@code snapshot} to every proxy of this cluster whose scope it is for. Snapshots of other clusters are
     * ignored; a snapshot that cannot be decoded or is inconsistent is refused and the scope's previous one keeps
     * being served.
     */
    public synchronized void accept(ScopeSnapshot snapshot) {
        if (!cluster.equals(snapshot.cluster())) {
            if (foreignClustersLogged.add(snapshot.cluster())) {
                LOG.info("ignoring snapshots of cluster={}: this distributor serves cluster={}", snapshot.cluster(), cluster);
            }
            return;
        }
        DecodedSnapshot current = served(snapshot.scope());
        if (snapshot.version().equals(current.version())) {
            return;
        }
        DecodedSnapshot same = sameContent(snapshot.version());
        if (same != null) {
            // Another scope has exactly this content: serve the one decoded copy (versions are content hashes).
            accepted(snapshot, same.withCommit(snapshot.commit()));
            return;
        }
        SnapshotDecoder.Result result = SnapshotDecoder.decode(snapshot, pool);
        if (result instanceof SnapshotDecoder.Refused refused) {
            LOG.error("refused snapshot cluster={} scope={} version={} commit={}; still serving version={}: {}",
                    cluster, snapshot.scope(), snapshot.version(), snapshot.commit(), current.version(),
                    String.join("; ", refused.problems()));
            return;
        }
        SnapshotDecoder.Decoded decoded = (SnapshotDecoder.Decoded) result;
        decoded.warnings().forEach(w -> LOG.warn("snapshot cluster={} version={}: {}", cluster, snapshot.version(), w));
        accepted(snapshot, decoded.snapshot());
    }

    /** A scope whose snapshot has {@code version}, or null. */
    private DecodedSnapshot sameContent(String version) {
        return byScope.values().stream().filter(d -> d.version().equals(version)).findFirst().orElse(null);
    }

    private void accepted(ScopeSnapshot snapshot, DecodedSnapshot next) {
        byScope.put(snapshot.scope(), next);
        servedSince.put(snapshot.scope(), clock.instant());
        LOG.info("snapshot cluster={} scope={} version={} resources={} commit={}", cluster, snapshot.scope(),
                next.version(), next.resourceCount(), next.commit());
        // Only the groups this snapshot serves: those of its scope, and those falling back to it meanwhile.
        groups.stream().filter(g -> g.scope().equals(snapshot.scope())
                || servedScope(g).equals(snapshot.scope())).forEach(this::push);
        acks.pushed(snapshot.scope(), next.version());
    }

    private DecodedSnapshot served(String scope) {
        return byScope.getOrDefault(scope, DecodedSnapshot.empty(cluster));
    }

    /** The version of the proxyless gRPC scope's snapshot being served ({@code ""} before the first). */
    public synchronized String currentVersion() {
        return served(GRPC_SCOPE).version();
    }

    /** The version of {@code scope}'s snapshot being served ({@code ""} before the first). */
    public synchronized String currentVersion(String scope) {
        return served(scope).version();
    }

    /**
     * The version served of each routing type (LDS/RDS/CDS/EDS) of the gRPC scope by type URL: what an in-sync
     * proxyless client has ACKed. A type's version hashes only that type's resources, so a proxy is not resent a
     * type that did not change.
     */
    public synchronized Map<String, String> currentTypeVersions() {
        return served(GRPC_SCOPE).typeVersions();
    }

    /** Like {@link #currentTypeVersions()}, for the proxies of {@code scope}. */
    public synchronized Map<String, String> currentTypeVersions(String scope) {
        return served(scope).typeVersions();
    }

    /** Connected proxies and their last ACK/NACK per type, for the admin API. */
    public List<ProxyStatus> proxies() {
        return status.proxies();
    }

    /** Like {@link #proxies()}, with each proxy's scope id. */
    public List<meshlog.xds.status.StatusBoard.Connected> connectedProxies() {
        return status.connected();
    }

    /**
     * The version per routing type a proxy of {@code scope} is served now, which may be another scope's while its
     * own has not arrived (see {@link #servedScope}): what an in-sync proxy of that scope has ACKed.
     */
    public synchronized Map<String, String> servedTypeVersions(String scope) {
        return served(servedScope(scope)).typeVersions();
    }

    /**
     * The routing resources a proxy of {@code scope} is served now (LDS/RDS/CDS/EDS, never its secrets): what
     * {@code proxy-config --live} shows.
     */
    public synchronized DecodedSnapshot servedSnapshot(String scope) {
        return served(servedScope(scope));
    }

    /** NACK requests received since start, held or not (a metric). */
    public long nacksReceived() {
        return status.nacksReceived();
    }

    /** NACK requests of one type URL received since start (istiod's {@code pilot_total_xds_rejects{type}}). */
    public long nacksReceived(String typeUrl) {
        return status.nacksReceived(typeUrl);
    }

    /** Where to report each xDS response sent, with its size and send time (istiod's push histograms). */
    public void reportSendsTo(Consumer<meshlog.xds.grpc.SentResponse> sink) {
        server.reportSendsTo(sink);
    }

    /**
     * Requests since start, per type URL, that answered a response older than the latest of their type on their
     * stream (istiod's {@code pilot_xds_expired_nonce}; a metric).
     */
    public Map<String, Long> expiredNonces() {
        return server.expiredNonces();
    }

    /** Responses sent since start, per type URL (a metric). */
    public Map<String, Long> responsesSent() {
        return server.responsesSent();
    }

    /**
     * Resources sent since start, per type URL (a metric): a delta proxy reconnecting from another replica with
     * everything it holds current adds nothing here.
     */
    public Map<String, Long> resourcesSent() {
        return server.resourcesSent();
    }

    @Override
    public void close() {
        renewals.shutdownNow();
        server.close();
        ackBatcher.close();
    }

    /**
     * Called once per admitted stream, before java-control-plane sees its first request. A proxy of a scope the
     * reconciler has not computed yet (an Envoy sidecar's labels, say) is reported to it ({@code scopeRequests});
     * its routing waits for that scope's snapshot at most {@link #SCOPE_WAIT}, then it is served the scope of its
     * namespace and interception mode without labels until its own arrives.
     */
    private synchronized void ensureGroup(ProxyNode proxy) {
        ProxyGroup group = proxy.group();
        streams.merge(group, 1, Integer::sum);
        if (groups.add(group)) {
            scopes.put(group.scope(), proxy.scope());
            if (!byScope.containsKey(group.scope())) {
                scopeRequests.accept(new ScopeRequest(cluster, proxy.scope()));
                if (proxy.scope().kind() != ProxyScope.Kind.GRPC) {
                    waitingSince.put(group.scope(), clock.instant());
                    renewals.schedule(() -> pushScope(group.scope()), SCOPE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            push(group);
        }
    }

    private synchronized void pushScope(String scope) {
        groups.stream().filter(g -> g.scope().equals(scope)).forEach(this::push);
    }

    /**
     * What a group is served: its scope's snapshot; before that arrives, nothing (the proxy's watch waits) until
     * {@link #SCOPE_WAIT} has passed, then the scope without labels (logged once per scope).
     */
    private DecodedSnapshot servedTo(ProxyGroup group) {
        String scope = servedScope(group);
        if (!scope.equals(group.scope()) && !scope.equals(GRPC_SCOPE) && fallbackLogged.add(group.scope())) {
            LOG.warn("scope {} not computed within {} ms; serving scope {} (no labels) until it is", group.scope(),
                    SCOPE_WAIT.toMillis(), scope);
        }
        return served(scope);
    }

    /**
     * The scope id whose snapshot {@code group} is served now (see {@link #servedTo}). A gRPC client of a namespace
     * with no snapshot of its own is served the namespace-less gRPC scope at once, without waiting: the reconciler
     * computes every namespace whose short names name a service (or that a {@code sourceNamespace} match names),
     * so a namespace it has not published has exactly that content; it is still reported, and served once it comes.
     */
    private String servedScope(ProxyGroup group) {
        return servedScope(group.scope());
    }

    private String servedScope(String id) {
        ProxyScope scope = scopes.get(id);
        if (byScope.containsKey(id) || scope == null) {
            return id;
        }
        if (scope.kind() == ProxyScope.Kind.GRPC) {
            return GRPC_SCOPE;
        }
        java.time.Instant since = waitingSince.get(id);
        // a gateway without its own scope has no Gateway to serve: it waits for its own, never a sidecar's
        if (scope.kind() == ProxyScope.Kind.ROUTER || scope.labels().isEmpty() || since == null
                || clock.instant().isBefore(since.plus(SCOPE_WAIT))) {
            return id;
        }
        return ProxyScope.sidecar(scope.namespace(), Map.of(), scope.interception()).id();
    }

    private synchronized void released(ProxyGroup group) {
        streams.merge(group, -1, Integer::sum);
    }

    /** Drops groups nobody is connected to (their snapshot and certificate), and renews certificates due. */
    synchronized void sweep() {
        try {
            for (Iterator<ProxyGroup> it = groups.iterator(); it.hasNext(); ) {
                ProxyGroup g = it.next();
                // clearSnapshot refuses while any watch is open: a stream not yet counted still keeps its group.
                if (streams.getOrDefault(g, 0) <= 0 && cache.clearSnapshot(g)) {
                    it.remove();
                    streams.remove(g);
                    servedView.remove(g);
                    identities.forget(g);
                    forgetScopeIfUnused(g.scope());
                }
            }
            groups.stream().filter(g -> g.secrets() && identities.due(g)).forEach(this::push);
        } catch (RuntimeException e) {
            LOG.error("identity sweep failed cluster={}", cluster, e);
        }
    }

    /** Drops what was kept about a scope once no group of it is left (its snapshot stays: it may come back). */
    private void forgetScopeIfUnused(String scope) {
        if (groups.stream().noneMatch(g -> g.scope().equals(scope))) {
            scopes.remove(scope);
            waitingSince.remove(scope);
            fallbackLogged.remove(scope);
        }
    }

    /** Proxy groups (cluster, namespace, service account) currently kept, with their certificates. */
    synchronized int groupCount() {
        return groups.size();
    }

    private void push(ProxyGroup group) {
        // Only --insecure-plaintext groups get a minted certificate; for any other none is even issued.
        Optional<Identity> identity = group.secrets() ? identities.identity(group) : Optional.empty();
        String bundle = identities.trustBundle();
        List<Secret> secrets = identity
                .map(i -> SecretBuilder.secrets(i.certificateChainPem(), i.privateKeyPem(), bundle))
                .orElse(List.of());
        String secretsVersion = identity.map(i -> SecretBuilder.version(i.certificateChainPem(), bundle)).orElse("");
        DecodedSnapshot routing = servedTo(group);
        String scope = servedScope(group);
        servedView.put(group, new AckRecorder.Served(scope, routing.version(), routing.commit(),
                routing.typeVersions(), servedSince.getOrDefault(scope, clock.instant())));
        cache.setSnapshot(group, routing.servedWith(secrets, secretsVersion));
    }
}
