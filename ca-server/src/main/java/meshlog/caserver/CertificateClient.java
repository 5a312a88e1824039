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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A caller of the certificate API, as istio-agent calls it: over TLS trusting the mesh root, checking the
 * server's name {@code istiod.istio-system.svc} whatever address it dials, sending its token as
 * {@code authorization: Bearer <token>} and its cluster as {@code clusterid}. The workload's agent (issue 10) and
 * the tests use it.
 */
public final class CertificateClient implements AutoCloseable {

    private final ManagedChannel channel;

    /**
     * @param clientChainPem with {@code clientKeyPem}: the client certificate to present (renewal), or null
     * @throws IOException if a PEM cannot be read
     */
    public CertificateClient(String host, int port, String rootPem, String clientChainPem, String clientKeyPem)
            throws IOException {
        TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder()
                .trustManager(new ByteArrayInputStream(rootPem.getBytes(StandardCharsets.US_ASCII)));
        if (clientChainPem != null) {
            tls.keyManager(new ByteArrayInputStream(clientChainPem.getBytes(StandardCharsets.US_ASCII)),
                    new ByteArrayInputStream(clientKeyPem.getBytes(StandardCharsets.US_ASCII)));
        }
        ChannelCredentials credentials = tls.build();
        channel = NettyChannelBuilder.forAddress(host, port, credentials)
                .overrideAuthority(CaServer.DNS_NAMES.get(0)).build();
    }

    /**
     * Asks for a certificate: the chain the CA returns, leaf first and root last.
     *
     * @param bearer  a Kubernetes service-account token or a join token; null to rely on the client certificate
     * @param cluster the caller's cluster, or null for the CA's first
     * @throws io.grpc.StatusRuntimeException with the CA's reason when it refuses
     */
    public List<String> create(String csr, long validitySeconds, String bearer, String cluster) {
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
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
