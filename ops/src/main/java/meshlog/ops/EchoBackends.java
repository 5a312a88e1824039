package meshlog.ops;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.InsecureServerCredentials;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Real gRPC servers on 127.0.0.1 that answer {@code echo.Echo/Who} with their own version name. */
final class EchoBackends implements AutoCloseable {

    static final MethodDescriptor<String, String> WHO = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("echo.Echo/Who")
            .setRequestMarshaller(Text.INSTANCE).setResponseMarshaller(Text.INSTANCE).build();

    private final Map<String, Server> servers = new LinkedHashMap<>();

    static EchoBackends start(String... versions) throws IOException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String v : versions) {
            ports.put(v, 0);
        }
        return start(ports);
    }

    /** @param ports version to port (0: any free port); on failure, none is left running */
    static EchoBackends start(Map<String, Integer> ports) throws IOException {
        EchoBackends b = new EchoBackends();
        try {
            b.startAll(ports);
        } catch (IOException | RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    private void startAll(Map<String, Integer> ports) throws IOException {
        for (Map.Entry<String, Integer> e : ports.entrySet()) {
            String version = e.getKey();
            ServerServiceDefinition service = ServerServiceDefinition.builder("echo.Echo")
                    .addMethod(WHO, ServerCalls.asyncUnaryCall((req, reply) -> {
                        reply.onNext(version);
                        reply.onCompleted();
                    })).build();
            servers.put(version, NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", e.getValue()),
                    InsecureServerCredentials.create()).addService(service).build().start());
        }
    }

    int port(String version) {
        return servers.get(version).getPort();
    }

    /** How many of {@code n} calls on {@code channel} each version answered. */
    static Map<String, Integer> spread(Channel channel, int n) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(who(channel), 1, Integer::sum);
        }
        return counts;
    }

    /** Which version answered one call. */
    static String who(Channel channel) {
        return ClientCalls.blockingUnaryCall(channel, WHO,
                CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "");
    }

    @Override
    public void close() {
        servers.values().forEach(Server::shutdownNow);
    }

    private enum Text implements MethodDescriptor.Marshaller<String> {
        INSTANCE;

        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
