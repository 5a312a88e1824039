package meshlog.caserver;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Contexts;
import io.grpc.Context;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import meshlog.ca.CertificateAuthority;
import meshlog.ca.JoinTokens;

/**
 * The CA's gRPC edge: Istio's certificate API on a TLS port (15012 by default, as istiod). The server's own
 * certificate comes from the CA, with istiod's DNS name {@code istiod.istio-system.svc} (what istio-agent dials
 * by default, so its hostname check passes), and is replaced at half its 24 h life without a restart. A client
 * certificate is optional (token callers have none); when one is sent, TLS checks it chains to the mesh root.
 */
public final class CaServer implements AutoCloseable {

    /** istiod's service name, which istio-agent's {@code CA_ADDR} defaults to. */
    public static final List<String> DNS_NAMES = List.of("istiod.istio-system.svc");
    /** A CSR request is a few KiB; the cap bounds what an unauthenticated caller can make the server hold. */
    static final int MAX_MESSAGE_BYTES = 64 * 1024;
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> CLUSTER_ID =
            Metadata.Key.of(CertificateService.CLUSTER_ID, Metadata.ASCII_STRING_MARSHALLER);

    /**
     * One cluster's API server, for TokenReview.
     *
     * @param tokenFile the CA's own credential for the API server, or null
     * @param caFile    the API server's CA (https), or null for the JDK's trust store
     */
    public record KubeApi(URI server, Path tokenFile, Path caFile) {

        public KubeApi {
            Objects.requireNonNull(server, "server");
        }
    }

    private final Server server;
    private final ServingTls tls;
    private final CsrCounts counts;

    private CaServer(Server server, ServingTls tls, CsrCounts counts) {
        this.server = server;
        this.tls = tls;
        this.counts = counts;
    }

    /**
     * Starts serving.
     *
     * @param clusters the mesh's clusters, the first used when a caller names none (and for the server's cert)
     * @param kubeApis by cluster; clusters without one refuse Kubernetes tokens
     * @throws IOException if the port cannot be bound
     */
    public static CaServer start(String bind, int port, CertificateAuthority ca, JoinTokens joinTokens,
                                 List<String> clusters, Map<String, KubeApi> kubeApis, Clock clock)
            throws IOException {
        if (clusters.isEmpty()) {
            throw new IllegalArgumentException("the CA server needs at least one cluster");
        }
        Map<String, TokenReviewer> reviewers = new LinkedHashMap<>();
        kubeApis.forEach((cluster, api) -> reviewers.put(cluster,
                new KubeTokenReview(cluster, api.server(), api.tokenFile(), api.caFile())));
        CertificateService service = new CertificateService(ca, joinTokens,
                new CallerAuthenticator(ca.trustDomain(), joinTokens, reviewers), clusters);
        ServingTls tls = ServingTls.start(ca, clusters.get(0), TlsServerCredentials.ClientAuth.OPTIONAL, clock);
        var credentials = tls.credentials();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(bind, port), credentials)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .maxInboundMetadataSize(16 * 1024)
                .addService(ServerInterceptors.intercept(service.definition(), new CallCapture()))
                .build();
        try {
            server.start();
        } catch (IOException e) {
            tls.close();
            throw new IOException("cannot listen on " + bind + ":" + port + " for the CA: " + e.getMessage(), e);
        }
        return new CaServer(server, tls, service.counts());
    }

    /** The bound port (useful when started on 0). */
    public int port() {
        return server.getPort();
    }

    /** What was asked and answered since start: istiod's {@code citadel_server_*} counts. */
    public CsrCounts counts() {
        return counts;
    }

    public SocketAddress address() {
        return server.getListenSockets().get(0);
    }

    @Override
    public void close() {
        tls.close();
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Puts the peer's verified chain, the credential headers and the peer address into the call's context. */
    private static final class CallCapture implements ServerInterceptor {

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                           ServerCallHandler<Q, R> next) {
            SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
            X509Certificate[] chain = null;
            if (session != null) {
                try {
                    // Certificate[] at run time, so each element is cast, not the array.
                    chain = Arrays.stream(session.getPeerCertificates()).map(X509Certificate.class::cast)
                            .toArray(X509Certificate[]::new);
                } catch (SSLPeerUnverifiedException e) {
                    chain = null; // no client certificate: a token caller
                }
            }
            SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
            var info = new CertificateService.CallInfo(chain, headers.get(AUTHORIZATION), headers.get(CLUSTER_ID),
                    String.valueOf(remote));
            return Contexts.interceptCall(Context.current().withValue(CertificateService.CallInfo.KEY, info), call,
                    headers, next);
        }
    }
}
