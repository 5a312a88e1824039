package meshlog.xds.grpc;

import com.google.protobuf.MessageLite;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import meshlog.configstore.LogSafe;
import meshlog.configstore.RateLimitedLog;

/**
 * The outermost layer of every ADS stream: applies {@link EdgeLimits} before anything else sees the stream or its
 * requests, and writes the one log line of every stream that ends with an error (rate-limited per client address and
 * status code, so a client repeating a refused request costs a line per window, not a line per request).
 *
 * <p>Streams are counted per client IP address and in total when they open; one over either limit is closed at once
 * with RESOURCE_EXHAUSTED. Each request is refused (and its stream closed) when the stream is past its request rate,
 * when it could not be parsed ({@link SafeParsing}), when it names a type URL not served, or when its node fails
 * {@link NodeCheck}. A response is queued
 * only while the pending bytes of its stream (sent while the transport was not ready, i.e. the client is not reading)
 * stay under the limit; past it the stream is closed, never buffered further. A handler that throws closes its
 * stream with INTERNAL instead of leaving it to gRPC's executor, which would log a stack trace per request.
 */
final class EdgeGuard implements ServerInterceptor {

    private final EdgeLimits limits;
    private final RateLimitedLog log;
    private final LongSupplier nanos;
    /** Open streams by client address; an address is dropped with its last stream. */
    private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    EdgeGuard(EdgeLimits limits, RateLimitedLog log, LongSupplier nanos) {
        this.limits = limits;
        this.log = log;
        this.nanos = nanos;
    }

    /** Streams open now (admitted by this guard and not yet ended). */
    int openStreams() {
        return total.get();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String address = addressOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        Guarded<Q, R> guarded = new Guarded<>(call, address);
        Status full = admit(address);
        if (full != null) {
            guarded.refuse(full);
            return new ServerCall.Listener<>() {
            };
        }
        guarded.counted.set(true);
        try {
            return new GuardedListener<>(next.startCall(guarded, headers), guarded);
        } catch (RuntimeException e) {
            guarded.fail(e);
            guarded.release();
            return new ServerCall.Listener<>() {
            };
        }
    }

    private Status admit(String address) {
        if (total.incrementAndGet() > limits.maxStreams()) {
            total.decrementAndGet();
            return Status.RESOURCE_EXHAUSTED.withDescription("this distributor has " + limits.maxStreams()
                    + " streams open, its limit (--xds-max-streams)");
        }
        int[] open = new int[1];
        perAddress.compute(address, (a, n) -> open[0] = n == null ? 1 : n + 1);
        if (open[0] > limits.maxStreamsPerAddress()) {
            releaseAddress(address);
            total.decrementAndGet();
            return Status.RESOURCE_EXHAUSTED.withDescription(limits.maxStreamsPerAddress() + " streams are open"
                    + " from " + address + ", the limit per client address (--xds-max-streams-per-address)");
        }
        return null;
    }

    private void releaseAddress(String address) {
        perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    static String addressOf(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return remote == null ? "unknown" : LogSafe.value(remote, 100);
    }

    private static String typeOf(Object request) {
        return request instanceof DiscoveryRequest r ? r.getTypeUrl() : ((DeltaDiscoveryRequest) request).getTypeUrl();
    }

    /** The node a request carries, or null (proxies may send it on the first request only). */
    private static Node nodeOf(Object request) {
        if (request instanceof DiscoveryRequest r) {
            return r.hasNode() ? r.getNode() : null;
        }
        if (request instanceof DeltaDiscoveryRequest r) {
            return r.hasNode() ? r.getNode() : null;
        }
        throw new AssertionError(request.getClass());
    }

    /**
     * The call as the layers below see it. gRPC forbids concurrent calls on a ServerCall, and java-control-plane
     * sends from the thread that sets a snapshot while this guard may close from gRPC's: every send and close takes
     * the call's lock, and nothing is sent once it is closed.
     */
    private final class Guarded<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        final String address;
        final AtomicBoolean counted = new AtomicBoolean();
        private boolean closed;
        private long pending;
        private double tokens = limits.requestBurst();
        private long refilled = nanos.getAsLong();

        Guarded(ServerCall<Q, R> call, String address) {
            super(call);
            this.address = address;
        }

        @Override
        public synchronized void sendMessage(R message) {
            if (closed) {
                return;
            }
            if (delegate().isReady()) {
                pending = 0;
            } else {
                pending += ((MessageLite) message).getSerializedSize();
                if (pending > limits.maxPendingBytes()) {
                    Status slow = Status.RESOURCE_EXHAUSTED.withDescription("the client is not reading its"
                            + " responses: " + pending + " bytes pending, over the limit per stream"
                            + " (--xds-max-pending-bytes)");
                    refuse(slow);
                    reset();
                    return;
                }
            }
            super.sendMessage(message);
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            if (closed) {
                return;
            }
            closed = true;
            if (!status.isOk() && status.getCode() != Status.Code.CANCELLED) { // a client leaving is no news
                logged(status);
            }
            super.close(status, trailers);
        }

        synchronized boolean isClosed() {
            return closed;
        }

        /** Ends the stream with RST_STREAM ({@link StreamReset}): its trailers wait behind what the client does not read. */
        private void reset() {
            StreamReset.reset(delegate(), Status.RESOURCE_EXHAUSTED.withDescription("not reading"));
        }

        void refuse(Status status) {
            close(status, new Metadata());
        }

        void fail(Throwable e) {
            refuse(Status.INTERNAL.withDescription("the distributor failed on this request: "
                    + e.getClass().getSimpleName()));
            log.event("failure " + e.getClass().getName(), () -> "ADS handler failed on a request from " + address
                    + ": " + LogSafe.value(e, 300) + " at " + LogSafe.value(topFrames(e), 600));
        }

        /** Whether one more request fits the stream's rate: a token bucket of requestBurst, refilled per second. */
        boolean takeRequest() {
            long now = nanos.getAsLong();
            tokens = Math.min(limits.requestBurst(),
                    tokens + (now - refilled) / 1e9 * limits.requestsPerSecond());
            refilled = now;
            if (tokens < 1) {
                return false;
            }
            tokens--;
            return true;
        }

        void release() {
            if (counted.compareAndSet(true, false)) {
                releaseAddress(address);
                total.decrementAndGet();
            }
        }

        private void logged(Status status) {
            String description = LogSafe.value(status.getDescription(), 300);
            log.event(address + " " + status.getCode(),
                    () -> "closed stream from " + address + ": " + status.getCode() + " " + description);
        }
    }

    private static String topFrames(Throwable e) {
        StackTraceElement[] frames = e.getStackTrace();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(3, frames.length); i++) {
            sb.append(i == 0 ? "" : " < ").append(frames[i]);
        }
        return sb.toString();
    }

    /** gRPC calls a listener's methods one at a time, so the rate bucket needs no lock of its own. */
    private final class GuardedListener<Q> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
        private final Guarded<Q, ?> call;

        GuardedListener(ServerCall.Listener<Q> next, Guarded<Q, ?> call) {
            super(next);
            this.call = call;
        }

        @Override
        public void onMessage(Q request) {
            if (call.isClosed()) {
                return;
            }
            Status refusal = refusal(request);
            if (refusal != null) {
                call.refuse(refusal);
                return;
            }
            try {
                super.onMessage(request);
            } catch (RuntimeException e) {
                call.fail(e);
            }
        }

        private Status refusal(Q request) {
            if (!call.takeRequest()) {
                return Status.RESOURCE_EXHAUSTED.withDescription("more than " + limits.requestBurst()
                        + " requests at once or " + limits.requestsPerSecond() + " a second on one stream, its"
                        + " limit (--xds-requests-per-second, --xds-request-burst)");
            }
            String malformed = SafeParsing.malformed(request);
            if (malformed != null) {
                return Status.INVALID_ARGUMENT.withDescription("request is not a valid xDS request: " + malformed);
            }
            String type = typeOf(request);
            if (!Resources.V3.TYPE_URLS.contains(type)) {
                // java-control-plane ends the stream with UNKNOWN for an empty one and throws for an unknown one.
                return Status.INVALID_ARGUMENT.withDescription("type URL '" + LogSafe.value(type, 100) + "' is not"
                        + " one this distributor serves (listeners, routes, clusters, endpoints, secrets)");
            }
            Node node = nodeOf(request);
            return node == null ? null : NodeCheck.refusal(node, limits);
        }

        @Override
        public void onHalfClose() {
            try {
                super.onHalfClose();
            } catch (RuntimeException e) {
                call.fail(e);
            }
        }

        @Override
        public void onCancel() {
            call.release();
            super.onCancel();
        }

        @Override
        public void onComplete() {
            call.release();
            super.onComplete();
        }
    }
}
