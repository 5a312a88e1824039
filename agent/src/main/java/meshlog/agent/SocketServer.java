package meshlog.agent;

import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.secret.v3.SecretDiscoveryServiceGrpc;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * The Unix domain socket Envoy (or a proxyless gRPC client) talks to: ADS, whose secrets are answered here and the
 * rest proxied to the distributor, and SDS alone (Istio's {@code sds-grpc} cluster). The socket is the workload's
 * own (mode 0600): whoever can open it is served the private key, as with istio-agent's.
 */
final class SocketServer implements AutoCloseable {

    /** A proxy's request is small; the distributor's answers come the other way and are not bounded here. */
    private static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;

    private final Server server;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Path socket;

    private SocketServer(Server server, EventLoopGroup boss, EventLoopGroup workers, Path socket) {
        this.server = server;
        this.boss = boss;
        this.workers = workers;
        this.socket = socket;
    }

    static SocketServer start(Path socket, Upstream upstream, Renewer renewer) throws IOException {
        Files.deleteIfExists(socket); // a socket left by an agent that died; binding over it fails
        if (socket.getParent() != null) {
            Files.createDirectories(socket.getParent());
        }
        var ads = AggregatedDiscoveryServiceGrpc.newStub(upstream.channel());
        EventLoopGroup boss = new EpollEventLoopGroup(1);
        EventLoopGroup workers = new EpollEventLoopGroup(2);
        Server server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(boss).workerEventLoopGroup(workers)
                .maxInboundMessageSize(MAX_REQUEST_BYTES)
                .addService(new AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase() {
                    @Override
                    public StreamObserver<DiscoveryRequest> streamAggregatedResources(
                            StreamObserver<DiscoveryResponse> down) {
                        return new SotwSession(down, ads::streamAggregatedResources, renewer);
                    }

                    @Override
                    public StreamObserver<DeltaDiscoveryRequest> deltaAggregatedResources(
                            StreamObserver<DeltaDiscoveryResponse> down) {
                        return new DeltaSession(down, ads::deltaAggregatedResources, renewer);
                    }
                })
                .addService(new SecretDiscoveryServiceGrpc.SecretDiscoveryServiceImplBase() {
                    @Override
                    public StreamObserver<DiscoveryRequest> streamSecrets(StreamObserver<DiscoveryResponse> down) {
                        return new SotwSession(down, null, renewer);
                    }

                    @Override
                    public StreamObserver<DeltaDiscoveryRequest> deltaSecrets(
                            StreamObserver<DeltaDiscoveryResponse> down) {
                        return new DeltaSession(down, null, renewer);
                    }
                })
                .build();
        try {
            server.start();
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            server.shutdownNow();
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IOException("cannot serve on the Unix socket " + socket + ": " + e.getMessage(), e);
        }
        return new SocketServer(server, boss, workers, socket);
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // left behind; the next start removes it
        }
    }
}
