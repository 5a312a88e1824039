package meshlog.xds.grpc;

import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import meshlog.xds.proxy.ProxyNode;

/**
 * Sits between gRPC and java-control-plane on every ADS stream, state-of-the-world and delta alike: sees each response
 * sent and each request received, refuses proxies of other clusters, reports ACKs and NACKs, and applies the NACK
 * hold and the repairs of {@link AdsStream} (SotW) and {@link DeltaStream} (delta).
 */
final class AdsStreamInterceptor implements ServerInterceptor {

    private static final String DELTA =
            AggregatedDiscoveryServiceGrpc.getDeltaAggregatedResourcesMethod().getFullMethodName();

    private final ClusterGate gate;
    private final StreamListener listener;
    private final Consumer<ProxyNode> groupSeen;
    private final boolean holdNacks;
    private final AtomicLong streams = new AtomicLong();
    private final SentCounts sent;

    AdsStreamInterceptor(ClusterGate gate, StreamListener listener, Consumer<ProxyNode> groupSeen, boolean holdNacks,
                         SentCounts sent) {
        this.sent = sent;
        this.gate = gate;
        this.listener = listener;
        this.groupSeen = groupSeen;
        this.holdNacks = holdNacks;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        // The ADS service has two methods; their descriptor fixes the message types, which the casts rely on.
        boolean delta = call.getMethodDescriptor().getFullMethodName().equals(DELTA);
        @SuppressWarnings("unchecked")
        ProxyStream<Q, R> stream = (ProxyStream<Q, R>) (delta ? new DeltaStream(holdNacks) : new AdsStream(holdNacks));
        Tracked<Q> tracked = new Tracked<>(streams.incrementAndGet(), stream);
        ServerCall<Q, R> observed = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(R message) {
                R out = stream.sent(message);
                sent.sent(out);
                super.sendMessage(out);
            }
        };
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(observed, headers)) {
            @Override
            public void onMessage(Q message) {
                Q forward = tracked.received(message);
                if (forward != null) {
                    super.onMessage(forward);
                } else if (tracked.refusal != null) {
                    observed.close(tracked.refusal, new Metadata());
                    tracked.refusal = null;
                }
            }

            @Override
            public void onCancel() {
                tracked.closed();
                super.onCancel();
            }

            @Override
            public void onComplete() {
                tracked.closed();
                super.onComplete();
            }
        };
    }

    /**
     * One stream and whether its proxy was admitted (null until its first request). gRPC calls a call's listener
     * methods one at a time, so the fields need no lock.
     */
    private final class Tracked<Q> {
        final long id;
        final ProxyStream<Q, ?> stream;
        private Boolean admitted;
        /** Set when the first request is refused, until the call is closed with it. */
        Status refusal;

        Tracked(long id, ProxyStream<Q, ?> stream) {
            this.id = id;
            this.stream = stream;
        }

        /**
         * What to hand java-control-plane, or null for nothing. A proxy refused on its first request is refused here,
         * before java-control-plane has any watch for the stream (a later change of cluster mid-stream is refused by
         * {@link ClusterGate} inside java-control-plane, which then also cancels the stream's watches).
         */
        Q received(Q request) {
            ProxyStream.Outcome<Q> outcome = stream.received(request);
            if (admitted == null) {
                ProxyNode proxy = ProxyNode.of(outcome.node());
                refusal = gate.refusal(proxy);
                admitted = refusal == null;
                if (admitted) {
                    groupSeen.accept(proxy);
                    listener.connected(id, proxy);
                }
            }
            if (!admitted) {
                return null;
            }
            if (outcome.event() instanceof StreamEvent.Ack ack) {
                listener.acked(id, ack.typeUrl(), ack.version());
            } else if (outcome.event() instanceof StreamEvent.Nack nack) {
                listener.nacked(id, nack.typeUrl(), nack.version(), nack.error());
            } else if (outcome.event() != null) {
                throw new AssertionError(outcome.event());
            }
            return outcome.forward();
        }

        void closed() {
            if (Boolean.TRUE.equals(admitted)) {
                admitted = false;
                listener.disconnected(id);
            }
        }
    }
}
