package meshlog.xds.grpc;

import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ForwardingServerCall;
import io.grpc.Grpc;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import meshlog.ca.WorkloadIdentity;
import meshlog.configstore.LogSafe;
import meshlog.configstore.RateLimitedLog;
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

    private static final String SECRET = io.envoyproxy.controlplane.cache.Resources.V3.SECRET_TYPE_URL;
    private static final String DELTA =
            AggregatedDiscoveryServiceGrpc.getDeltaAggregatedResourcesMethod().getFullMethodName();

    private final ClusterGate gate;
    private final StreamListener listener;
    private final Consumer<ProxyNode> groupSeen;
    private final boolean holdNacks;
    private final AtomicLong streams = new AtomicLong();
    private final SentCounts sent;
    private final XdsTransport transport;
    private final RateLimitedLog log;

    AdsStreamInterceptor(ClusterGate gate, StreamListener listener, Consumer<ProxyNode> groupSeen, boolean holdNacks,
                         SentCounts sent, XdsTransport transport, RateLimitedLog log) {
        this.sent = sent;
        this.transport = transport;
        this.log = log;
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
        PeerMark mark;
        try {
            mark = mark(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        } catch (IllegalArgumentException e) {
            call.close(Status.UNAUTHENTICATED.withDescription(e.getMessage()), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        @SuppressWarnings("unchecked")
        ProxyStream<Q, R> stream = (ProxyStream<Q, R>) (delta ? new DeltaStream(holdNacks, sent::expiredNonce)
                : new AdsStream(holdNacks, sent::expiredNonce));
        Tracked<Q> tracked = new Tracked<>(streams.incrementAndGet(), stream, mark);
        ServerCall<Q, R> observed = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(R message) {
                long start = System.nanoTime();
                R out = stream.sent(message);
                sent.sent(out);
                long sending = System.nanoTime();
                super.sendMessage(out);
                long end = System.nanoTime();
                sent.timed(out, end - start, end - sending);
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
        final PeerMark mark;
        private Boolean admitted;
        private boolean sdsRefusalLogged;
        /** Set when the first request is refused, until the call is closed with it. */
        Status refusal;

        Tracked(long id, ProxyStream<Q, ?> stream, PeerMark mark) {
            this.id = id;
            this.stream = stream;
            this.mark = mark;
        }

        /**
         * What to hand java-control-plane, or null for nothing. A proxy refused on its first request is refused here,
         * before java-control-plane has any watch for the stream (a later change of cluster mid-stream is refused by
         * {@link ClusterGate} inside java-control-plane, which then also cancels the stream's watches).
         */
        Q received(Q request) {
            ProxyStream.Outcome<Q> outcome = stream.received(marked(request, mark));
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
            if (!mark.secrets() && !sdsRefusalLogged && asksForSecrets(outcome.forward())) {
                sdsRefusalLogged = true;
                String proxy = LogSafe.value(outcome.node().getId(), 100);
                log.event("sds-on-plaintext", () -> "proxy '" + proxy + "' asked for SDS secrets on the plaintext"
                        + " xDS port; they are served only over mTLS (its identity proven by a certificate from"
                        + " meshlog agent), or with --insecure-plaintext");
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

    /**
     * What the stream's transport proves: on the mTLS port, the SPIFFE ID of the client certificate TLS verified
     * against the mesh root; on the plaintext port, nothing.
     *
     * @throws IllegalArgumentException when the certificate names no SPIFFE ID of the trust domain
     */
    private PeerMark mark(SSLSession session) {
        if (session == null) {
            return PeerMark.plaintext(transport.insecurePlaintext());
        }
        try {
            X509Certificate leaf = (X509Certificate) session.getPeerCertificates()[0];
            return PeerMark.verified(WorkloadIdentity.ofCertificate(transport.trustDomain(), leaf)
                    .spiffeId(transport.trustDomain()));
        } catch (SSLPeerUnverifiedException e) {
            throw new IllegalArgumentException("the mTLS xDS port needs a client certificate from the mesh CA");
        }
    }

    /** The request with the transport's marks in its node (if it carries one). */
    @SuppressWarnings("unchecked")
    private static <Q> Q marked(Q request, PeerMark mark) {
        if (request instanceof DiscoveryRequest r) {
            return r.hasNode() ? (Q) r.toBuilder().setNode(mark.apply(r.getNode())).build() : request;
        } else if (request instanceof DeltaDiscoveryRequest r) {
            return r.hasNode() ? (Q) r.toBuilder().setNode(mark.apply(r.getNode())).build() : request;
        }
        throw new AssertionError(request.getClass());
    }

    private static boolean asksForSecrets(Object request) {
        String type = request instanceof DiscoveryRequest r ? r.getTypeUrl()
                : ((DeltaDiscoveryRequest) request).getTypeUrl();
        return SECRET.equals(type);
    }
}
