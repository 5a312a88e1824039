package meshlog.xds;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** One raw ADS stream, opened with the generated stub: send requests by hand, read responses and the final status. */
final class RawAds implements AutoCloseable {

    private final ManagedChannel channel;
    private final StreamObserver<DiscoveryRequest> requests;
    private final BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
    private final CompletableFuture<Status> closed = new CompletableFuture<>();
    private final Node node;

    RawAds(String address, Node node) {
        this(Grpc.newChannelBuilder(address, InsecureChannelCredentials.create()).build(), node);
    }

    /** A stream over {@code channel} (mTLS, say), closed with this. */
    RawAds(ManagedChannel channel, Node node) {
        this.node = node;
        this.channel = channel;
        this.requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
            @Override
            public void onNext(DiscoveryResponse response) {
                responses.add(response);
            }

            @Override
            public void onError(Throwable t) {
                closed.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                closed.complete(Status.OK);
            }
        });
    }

    static Node node(String id, Map<String, String> metadata) {
        Struct.Builder struct = Struct.newBuilder();
        metadata.forEach((k, v) -> struct.putFields(k, Value.newBuilder().setStringValue(v).build()));
        return Node.newBuilder().setId(id).setMetadata(struct).build();
    }

    void request(String typeUrl, List<String> names, String version, String nonce) {
        requestAs(node, typeUrl, names, version, nonce);
    }

    void requestAs(Node as, String typeUrl, List<String> names, String version, String nonce) {
        requests.onNext(DiscoveryRequest.newBuilder()
                .setNode(as)
                .setTypeUrl(typeUrl)
                .addAllResourceNames(names)
                .setVersionInfo(version)
                .setResponseNonce(nonce)
                .build());
    }

    /** The next response, or null after {@code timeout}. */
    DiscoveryResponse next(Duration timeout) throws InterruptedException {
        return responses.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The stream's final status, or null while it is open. */
    Status closedStatus() {
        return closed.getNow(null);
    }

    Status awaitClose(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        try {
            requests.onCompleted();
        } catch (IllegalStateException alreadyClosed) {
            // the server ended the stream first
        }
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
