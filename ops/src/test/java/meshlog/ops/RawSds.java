package meshlog.ops;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Asks a distributor for SDS secrets over a raw ADS stream, as an Envoy sidecar would, and checks certificates. */
final class RawSds {

    private RawSds() {
    }

    static List<Secret> fetch(String distributor, String cluster, String namespace, String serviceAccount)
            throws Exception {
        return fetch(Grpc.newChannelBuilder(distributor, InsecureChannelCredentials.create()).build(), cluster,
                namespace, serviceAccount, Duration.ofSeconds(20));
    }

    /**
     * Over {@code channel} (closed here); an empty list when nothing is answered within {@code wait}.
     */
    static List<Secret> fetch(ManagedChannel channel, String cluster, String namespace, String serviceAccount,
                              Duration wait) throws Exception {
        try {
            CompletableFuture<DiscoveryResponse> first = new CompletableFuture<>();
            StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
                    .streamAggregatedResources(new StreamObserver<>() {
                        @Override
                        public void onNext(DiscoveryResponse r) {
                            first.complete(r);
                        }

                        @Override
                        public void onError(Throwable t) {
                            first.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                            first.completeExceptionally(new IllegalStateException("stream ended"));
                        }
                    });
            Struct metadata = Struct.newBuilder()
                    .putFields("CLUSTER_ID", Value.newBuilder().setStringValue(cluster).build())
                    .putFields("NAMESPACE", Value.newBuilder().setStringValue(namespace).build())
                    .putFields("SERVICE_ACCOUNT", Value.newBuilder().setStringValue(serviceAccount).build()).build();
            requests.onNext(DiscoveryRequest.newBuilder()
                    .setNode(Node.newBuilder().setId("sidecar~127.0.0.2~sds-probe." + namespace + "~" + namespace
                            + ".svc.cluster.local").setMetadata(metadata))
                    .setTypeUrl("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret")
                    .addResourceNames("default").addResourceNames("ROOTCA").build());
            List<Secret> out = new ArrayList<>();
            DiscoveryResponse response;
            try {
                response = first.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                return List.of();
            }
            for (var any : response.getResourcesList()) {
                out.add(any.unpack(Secret.class));
            }
            requests.onCompleted();
            return out;
        } finally {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** A channel to a distributor's mTLS port presenting {@code client}, checking the server as istiod. */
    static ManagedChannel mtls(String host, int port, meshlog.ca.WorkloadCertificate client, String rootPem)
            throws Exception {
        var credentials = io.grpc.TlsChannelCredentials.newBuilder()
                .trustManager(new ByteArrayInputStream(rootPem.getBytes(StandardCharsets.US_ASCII)))
                .keyManager(new ByteArrayInputStream(client.certificateChainPem().getBytes(StandardCharsets.US_ASCII)),
                        new ByteArrayInputStream(client.privateKeyPem().getBytes(StandardCharsets.US_ASCII)))
                .build();
        return Grpc.newChannelBuilder(host + ":" + port, credentials)
                .overrideAuthority(meshlog.caserver.CaServer.DNS_NAMES.get(0)).build();
    }

    static List<X509Certificate> certificates(String pem) throws Exception {
        List<X509Certificate> out = new ArrayList<>();
        for (var c : CertificateFactory.getInstance("X.509").generateCertificates(
                new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
            out.add((X509Certificate) c);
        }
        return out;
    }

    /** PKIX validation of {@code chain} (leaf first) against {@code root}; throws if it does not verify. */
    static void validate(List<X509Certificate> chain, X509Certificate root) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(chain), params);
    }
}
