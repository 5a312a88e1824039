package meshlog.xds.grpc;

import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import meshlog.xds.proxy.ProxyGroup;
import meshlog.xds.proxy.ProxyNode;

/**
 * The gRPC side of a distributor: java-control-plane's ADS service on grpc-java Netty, state-of-the-world
 * ({@code StreamAggregatedResources}, what gRPC clients speak) and delta ({@code DeltaAggregatedResources}, Envoy's
 * {@code DELTA_GRPC}), both behind the cluster gate and the stream interceptor and fed by the same snapshots. Only ADS
 * is served (no per-type xDS services).
 */
public final class AdsServer implements AutoCloseable {

    private final Server server;
    private final String host;

    private AdsServer(Server server, String host) {
        this.server = server;
        this.host = host;
    }

    /**
     * @param groupSeen called (on a gRPC thread, before the request reaches the cache) with every
     *                  admitted proxy, so the caller can make sure the group has a snapshot
     * @param holdNacks false only to measure the NACK hot loop this module exists to avoid
     */
    public static AdsServer start(String host, int port, String cluster, ConfigWatcher watcher,
                                  StreamListener listener, Consumer<ProxyNode> groupSeen, boolean holdNacks) {
        ClusterGate gate = new ClusterGate(cluster);
        // Each resource is serialized once for all the streams it goes to (cached by proto identity; the distributor
        // holds one proto per distinct resource), not once per proxy per push.
        V3DiscoveryServer discovery = new V3DiscoveryServer(List.of(gate), watcher,
                new io.envoyproxy.controlplane.server.DefaultExecutorGroup(),
                new io.envoyproxy.controlplane.server.serializer.CachedProtoResourcesSerializer());
        AdsStreamInterceptor interceptor = new AdsStreamInterceptor(gate, listener, groupSeen, holdNacks);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port), InsecureServerCredentials.create())
                .addService(ServerInterceptors.intercept(discovery.getAggregatedDiscoveryServiceImpl(), interceptor))
                .build();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve xDS on " + host + ":" + port, e);
        }
        return new AdsServer(server, host);
    }

    public int port() {
        return server.getPort();
    }

    public String address() {
        return host + ":" + port();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
