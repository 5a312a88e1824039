package meshlog.xds;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Real gRPC backends on 127.0.0.1, each answering one unary method with its own name. */
final class Backends implements AutoCloseable {

    static final MethodDescriptor<String, String> WHO = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("meshlog.test.Who/Name")
            .setRequestMarshaller(Utf8.INSTANCE)
            .setResponseMarshaller(Utf8.INSTANCE)
            .build();

    private final Map<String, Server> servers = new LinkedHashMap<>();

    static Backends start(String... names) {
        Backends backends = new Backends();
        for (String name : names) {
            ServerServiceDefinition service = ServerServiceDefinition.builder("meshlog.test.Who")
                    .addMethod(WHO, ServerCalls.asyncUnaryCall((request, reply) -> {
                        reply.onNext(name);
                        reply.onCompleted();
                    }))
                    .build();
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
                    InsecureServerCredentials.create()).addService(service).build();
            try {
                server.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            backends.servers.put(name, server);
        }
        return backends;
    }

    int port(String name) {
        return servers.get(name).getPort();
    }

    /** Which backend answered one RPC. */
    static String who(Channel channel, Duration deadline) {
        return ClientCalls.blockingUnaryCall(channel, WHO,
                CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS), "");
    }

    /** Which backend answered each of {@code n} RPCs. */
    static List<String> who(Channel channel, int n) {
        List<String> answers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            answers.add(who(channel, Duration.ofSeconds(5)));
        }
        return answers;
    }

    @Override
    public void close() {
        servers.values().forEach(Server::shutdownNow);
    }

    private enum Utf8 implements MethodDescriptor.Marshaller<String> {
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
