package meshlog.xds.grpc;

import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import meshlog.configstore.RateLimitedLog;
import meshlog.xds.proxy.ProxyNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC side of a distributor: java-control-plane's ADS service on grpc-java Netty, state-of-the-world
 * ({@code StreamAggregatedResources}, what gRPC clients speak) and delta ({@code DeltaAggregatedResources}, Envoy's
 * {@code DELTA_GRPC}), both behind the cluster gate and the stream interceptor and fed by the same snapshots. Only ADS
 * is served (no per-type xDS services). {@link EdgeGuard} applies {@link EdgeLimits} to every stream first.
 */
public final class AdsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdsServer.class);
    /**
     * grpc-java's Netty transport logs every stream a client breaks (a message over the size limit, a reset, one
     * {@link EdgeGuard} resets) as a WARNING with a 40-line stack trace, through java.util.logging. Those records
     * become one bounded line each, rate-limited like the refusals. Kept in a field: java.util.logging holds its
     * loggers weakly.
     */
    private static final List<java.util.logging.Logger> NETTY = TransportLog.install(
            "io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler",
            "io.grpc.netty.shaded.io.grpc.netty.NettyServerStream");

    private final Server server;
    /** The mTLS port's server, or null. */
    private final Server tls;
    private final String host;
    private final SentCounts sent;

    private AdsServer(Server server, Server tls, String host, SentCounts sent) {
        this.server = server;
        this.tls = tls;
        this.host = host;
        this.sent = sent;
    }

    /**
     * @param groupSeen called (on a gRPC thread, before the request reaches the cache) with every
     *                  admitted proxy, so the caller can make sure the group has a snapshot
     * @param holdNacks false only to measure the NACK hot loop this module exists to avoid
     * @param limits    what one client may ask of this server ({@link EdgeGuard})
     */
    public static AdsServer start(String host, int port, String cluster, ConfigWatcher watcher,
                                  StreamListener listener, Consumer<ProxyNode> groupSeen, boolean holdNacks,
                                  EdgeLimits limits, XdsTransport transport) {
        ClusterGate gate = new ClusterGate(cluster);
        // Each resource is serialized once for all the streams it goes to (cached by proto identity; the distributor
        // holds one proto per distinct resource), not once per proxy per push.
        V3DiscoveryServer discovery = new V3DiscoveryServer(List.of(gate), new ListenersByName(watcher),
                new io.envoyproxy.controlplane.server.DefaultExecutorGroup(),
                new io.envoyproxy.controlplane.server.serializer.CachedProtoResourcesSerializer());
        SentCounts sent = new SentCounts();
        RateLimitedLog log = RateLimitedLog.of(LOG::warn);
        AdsStreamInterceptor interceptor = new AdsStreamInterceptor(gate, listener, groupSeen, holdNacks, sent,
                transport, log);
        EdgeGuard guard = new EdgeGuard(limits, log, System::nanoTime);
        // intercept() runs the last interceptor first: the guard sees every stream and request before the others.
        ServerServiceDefinition service = SafeParsing.of(
                ServerInterceptors.intercept(discovery.getAggregatedDiscoveryServiceImpl(), interceptor, guard));
        Server plaintext = serve(host, port, InsecureServerCredentials.create(), service, limits, "xDS");
        Server tls = null;
        if (transport.tls() != null) {
            try {
                tls = serve(host, transport.tlsPort(), transport.tls(), service, limits, "xDS over mTLS");
            } catch (RuntimeException e) {
                plaintext.shutdownNow();
                throw e;
            }
        }
        return new AdsServer(plaintext, tls, host, sent);
    }

    /** One port of the same ADS service; the interceptor tells the two apart by the call's TLS session. */
    private static Server serve(String host, int port, io.grpc.ServerCredentials credentials,
                                ServerServiceDefinition service, EdgeLimits limits, String what) {
        NettyServerBuilder builder = NettyServerBuilder
                .forAddress(new InetSocketAddress(host, port), credentials)
                .addService(service)
                .maxInboundMessageSize(limits.maxMessageBytes())
                .maxConcurrentCallsPerConnection(limits.maxStreamsPerAddress());
        if (!limits.maxConnectionAge().isZero()) {
            builder.maxConnectionAge(limits.maxConnectionAge().toMillis(), TimeUnit.MILLISECONDS)
                    .maxConnectionAgeGrace(EdgeLimits.CONNECTION_AGE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
        Server server = builder.build();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve " + what + " on " + host + ":" + port, e);
        }
        return server;
    }

    /** Where to report each response sent, with its size and send time (called on gRPC threads). */
    public void reportSendsTo(Consumer<SentResponse> sink) {
        sent.reportTo(sink);
    }

    /** Responses sent since start, per type URL. */
    public Map<String, Long> responsesSent() {
        return sent.responses();
    }

    /** Requests answering a response older than their type's latest on the stream, per type URL, since start. */
    public Map<String, Long> expiredNonces() {
        return sent.expiredNonces();
    }

    /** Resources sent since start, per type URL (a delta response counts only the resources it carries). */
    public Map<String, Long> resourcesSent() {
        return sent.resources();
    }

    public int port() {
        return server.getPort();
    }

    public String address() {
        return host + ":" + port();
    }

    /** The mTLS port, or -1 without one. */
    public int tlsPort() {
        return tls == null ? -1 : tls.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
        if (tls != null) {
            tls.shutdownNow();
        }
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
            if (tls != null) {
                tls.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
