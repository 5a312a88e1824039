package meshlog.caserver;

import com.google.protobuf.Struct;
import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A caller of the certificate API over real TLS on 127.0.0.1, as istio-agent calls it: it dials
 * {@code istiod.istio-system.svc}, trusts the mesh root, and sends its token as {@code authorization: Bearer}
 * and its cluster as {@code clusterid}.
 */
final class CaClient implements AutoCloseable {

    private final ManagedChannel channel;

    /** @param clientChainPem with {@code clientKeyPem}: the client certificate to present, or null for none */
    CaClient(int port, String rootPem, String clientChainPem, String clientKeyPem) throws Exception {
        TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder()
                .trustManager(new ByteArrayInputStream(rootPem.getBytes(StandardCharsets.US_ASCII)));
        if (clientChainPem != null) {
            tls.keyManager(new ByteArrayInputStream(clientChainPem.getBytes(StandardCharsets.US_ASCII)),
                    new ByteArrayInputStream(clientKeyPem.getBytes(StandardCharsets.US_ASCII)));
        }
        ChannelCredentials credentials = tls.build();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port, credentials)
                .overrideAuthority("istiod.istio-system.svc").build();
    }

    /** The chain the CA returns, or a StatusRuntimeException. */
    List<String> create(String csr, long validitySeconds, String bearer, String cluster) {
        Metadata headers = new Metadata();
        if (bearer != null) {
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + bearer);
        }
        if (cluster != null) {
            headers.put(Metadata.Key.of("clusterid", Metadata.ASCII_STRING_MARSHALLER), cluster);
        }
        var intercepted = io.grpc.ClientInterceptors.intercept(channel,
                MetadataUtils.newAttachHeadersInterceptor(headers));
        return ClientCalls.blockingUnaryCall(intercepted, CertificateMessages.CREATE_CERTIFICATE,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                new CertificateMessages.Request(csr, validitySeconds, Struct.getDefaultInstance())).certChain();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
    }
}
