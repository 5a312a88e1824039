package meshlog.xds;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One raw delta ADS stream ({@code DeltaAggregatedResources}, Envoy's {@code DELTA_GRPC}), opened with the generated
 * stub: send subscriptions, ACKs and NACKs by hand, read responses and the final status.
 */
final class RawDeltaAds implements AutoCloseable {

    private final ManagedChannel channel;
    private final StreamObserver<DeltaDiscoveryRequest> requests;
    private final BlockingQueue<DeltaDiscoveryResponse> responses = new LinkedBlockingQueue<>();
    private final CompletableFuture<Status> closed = new CompletableFuture<>();
    private final Node node;
    private boolean nodeSent;

    /** @param node sent on the first request only, as Envoy does with {@code set_node_on_first_message_only} */
    RawDeltaAds(String address, Node node) {
        this.node = node;
        this.channel = Grpc.newChannelBuilder(address, InsecureChannelCredentials.create()).build();
        this.requests = AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(new Responses());
    }

    /** Collects the responses and the final status. */
    private final class Responses implements StreamObserver<DeltaDiscoveryResponse> {
        @Override
        public void onNext(DeltaDiscoveryResponse response) {
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
    }

    /** Subscribes to {@code names} of {@code typeUrl} (none: wildcard), saying which versions it already holds. */
    void subscribe(String typeUrl, List<String> names, Map<String, String> holding) {
        send(request(typeUrl).addAllResourceNamesSubscribe(names).putAllInitialResourceVersions(holding));
    }

    void unsubscribe(String typeUrl, List<String> names) {
        send(request(typeUrl).addAllResourceNamesUnsubscribe(names));
    }

    void ack(DeltaDiscoveryResponse response) {
        send(request(response.getTypeUrl()).setResponseNonce(response.getNonce()));
    }

    void nack(DeltaDiscoveryResponse response, String error) {
        send(request(response.getTypeUrl()).setResponseNonce(response.getNonce())
                .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(3).setMessage(error)));
    }

    void send(DeltaDiscoveryRequest.Builder request) {
        requests.onNext(request.build());
    }

    DeltaDiscoveryRequest.Builder request(String typeUrl) {
        DeltaDiscoveryRequest.Builder request = DeltaDiscoveryRequest.newBuilder().setTypeUrl(typeUrl);
        if (!nodeSent) {
            request.setNode(node);
            nodeSent = true;
        }
        return request;
    }

    /** The next response, or null after {@code timeout}. */
    DeltaDiscoveryResponse next(Duration timeout) throws InterruptedException {
        return responses.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every response that arrives within {@code period}. */
    List<DeltaDiscoveryResponse> during(Duration period) throws InterruptedException {
        long deadline = System.nanoTime() + period.toNanos();
        List<DeltaDiscoveryResponse> all = new ArrayList<>();
        for (long left = period.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            DeltaDiscoveryResponse response = responses.poll(left, TimeUnit.NANOSECONDS);
            if (response != null) {
                all.add(response);
            }
        }
        return all;
    }

    /** The stream's final status, or null while it is open. */
    Status closedStatus() {
        return closed.getNow(null);
    }

    Status awaitClose(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Name → version of the resources a response carries. */
    static Map<String, String> versions(DeltaDiscoveryResponse response) {
        Map<String, String> versions = new TreeMap<>();
        for (Resource resource : response.getResourcesList()) {
            versions.put(resource.getName(), resource.getVersion());
        }
        return versions;
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
