package meshlog.agent;

import io.grpc.Contexts;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import meshlog.ca.WorkloadCertificate;

/**
 * A real gRPC server requiring mTLS with the mesh root, answering each call with who called: the SPIFFE ID and
 * serial number of the client certificate TLS verified.
 */
final class PeerEcho implements AutoCloseable {

    static final MethodDescriptor<String, String> WHO = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("meshlog.test.Peer/Who")
            .setRequestMarshaller(new Utf8()).setResponseMarshaller(new Utf8()).build();
    private static final Context.Key<String> PEER = Context.key("peer");

    private final Server server;

    PeerEcho(WorkloadCertificate serving, String rootPem) throws Exception {
        var credentials = TlsServerCredentials.newBuilder()
                .keyManager(stream(serving.certificateChainPem()), stream(serving.privateKeyPem()))
                .trustManager(stream(rootPem)).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE).build();
        ServerServiceDefinition service = ServerServiceDefinition.builder("meshlog.test.Peer")
                .addMethod(WHO, ServerCalls.asyncUnaryCall((request, reply) -> {
                    reply.onNext(PEER.get());
                    reply.onCompleted();
                })).build();
        ServerInterceptor peer = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                String who;
                try {
                    X509Certificate leaf = (X509Certificate) call.getAttributes()
                            .get(Grpc.TRANSPORT_ATTR_SSL_SESSION).getPeerCertificates()[0];
                    who = leaf.getSubjectAlternativeNames().iterator().next().get(1) + " serial="
                            + leaf.getSerialNumber();
                } catch (Exception e) {
                    who = "unknown: " + e;
                }
                return Contexts.interceptCall(Context.current().withValue(PEER, who), call, headers, next);
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), credentials)
                .addService(ServerInterceptors.intercept(service, peer)).build().start();
    }

    int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    private static InputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
    }

    private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
