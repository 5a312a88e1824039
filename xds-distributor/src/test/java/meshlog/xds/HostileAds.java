package meshlog.xds;

import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A state-of-the-world ADS stream as a hostile client drives it: it never asks gRPC for a response (so it reads
 * nothing and its flow-control window fills), and it can send bytes that are not a request at all.
 */
final class HostileAds implements AutoCloseable {

    /** The ADS method with raw bytes for requests and responses. */
    static final MethodDescriptor<byte[], byte[]> RAW = AggregatedDiscoveryServiceGrpc
            .getStreamAggregatedResourcesMethod().toBuilder(Bytes.INSTANCE, Bytes.INSTANCE).build();

    private final ManagedChannel channel;
    private final ClientCall<byte[], byte[]> call;
    private final CompletableFuture<Status> closed = new CompletableFuture<>();
    final AtomicInteger received = new AtomicInteger();

    /** @param reads how many responses it will ever accept (0: none) */
    HostileAds(String address, int reads) {
        channel = Grpc.newChannelBuilder(address, InsecureChannelCredentials.create()).build();
        call = channel.newCall(RAW, CallOptions.DEFAULT);
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(byte[] message) {
                received.incrementAndGet();
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());
        if (reads > 0) {
            call.request(reads);
        }
    }

    void send(DiscoveryRequest request) {
        call.sendMessage(request.toByteArray());
    }

    void sendBytes(byte[] bytes) {
        call.sendMessage(bytes);
    }

    Status awaitClose(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        call.cancel("test done", null);
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    enum Bytes implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
