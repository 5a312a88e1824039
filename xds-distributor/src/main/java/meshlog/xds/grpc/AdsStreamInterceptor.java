package meshlog.xds.grpc;

import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import meshlog.xds.proxy.ProxyGroup;
import meshlog.xds.proxy.ProxyNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits between gRPC and java-control-plane on every ADS stream: sees each response sent and each request received,
 * reports ACKs and NACKs, applies the NACK hold ({@link AdsStream}) and refuses delta xDS.
 */
final class AdsStreamInterceptor implements ServerInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(AdsStreamInterceptor.class);

    static final Status DELTA_OFF = Status.UNIMPLEMENTED.withDescription(
            "delta xDS is not served by this distributor yet; use state-of-the-world ADS (StreamAggregatedResources)");

    private final ClusterGate gate;
    private final StreamListener listener;
    private final Consumer<ProxyGroup> groupSeen;
    private final boolean holdNacks;
    private final AtomicLong streams = new AtomicLong();

    AdsStreamInterceptor(ClusterGate gate, StreamListener listener, Consumer<ProxyGroup> groupSeen, boolean holdNacks) {
        this.gate = gate;
        this.listener = listener;
        this.groupSeen = groupSeen;
        this.holdNacks = holdNacks;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (!method.equals(AggregatedDiscoveryServiceGrpc.getStreamAggregatedResourcesMethod().getFullMethodName())) {
            call.close(DELTA_OFF, new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        Tracked tracked = new Tracked(streams.incrementAndGet(), new AdsStream(holdNacks));
        ServerCall<Q, R> observed = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(R message) {
                if (message instanceof DiscoveryResponse response) {
                    tracked.stream.sent(response);
                }
                super.sendMessage(message);
            }
        };
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(observed, headers)) {
            @Override
            @SuppressWarnings("unchecked")
            public void onMessage(Q message) {
                if (!(message instanceof DiscoveryRequest request)) {
                    super.onMessage(message);
                    return;
                }
                DiscoveryRequest forward = tracked.received(request);
                if (forward != null) {
                    super.onMessage((Q) forward);
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
    private final class Tracked {
        final long id;
        final AdsStream stream;
        private Boolean admitted;
        /** Set when the first request is refused, until the call is closed with it. */
        Status refusal;

        Tracked(long id, AdsStream stream) {
            this.id = id;
            this.stream = stream;
        }

        /**
         * What to hand java-control-plane, or null for nothing. A proxy refused on its first request is refused here,
         * before java-control-plane has any watch for the stream (a later change of cluster mid-stream is refused by
         * {@link ClusterGate} inside java-control-plane, which then also cancels the stream's watches).
         */
        DiscoveryRequest received(DiscoveryRequest request) {
            AdsStream.Outcome outcome = stream.received(request);
            if (admitted == null) {
                ProxyNode proxy = ProxyNode.of(outcome.forward().getNode());
                refusal = gate.refusal(proxy);
                admitted = refusal == null;
                if (admitted) {
                    groupSeen.accept(proxy.group());
                    listener.connected(id, proxy);
                } else {
                    LOG.warn("refused stream={}: {}", id, refusal.getDescription());
                }
            }
            if (!admitted) {
                return null;
            }
            if (outcome.event() instanceof AdsStream.Ack ack) {
                listener.acked(id, ack.typeUrl(), ack.version());
            } else if (outcome.event() instanceof AdsStream.Nack nack) {
                listener.nacked(id, nack.typeUrl(), nack.version(), nack.error());
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
