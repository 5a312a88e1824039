package meshlog.agent;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One stream from Envoy or a gRPC client on the agent's socket, state of the world or delta alike: secret requests
 * are answered here from the agent's own certificate (by the subclass) and pushed again on renewal; everything else
 * goes to the distributor over the agent's mTLS stream, opened on the first such request, with the stream's node
 * (Envoy sends it once) on its first message. A refusal upstream ends the proxy's stream with the same status.
 * Writes to the proxy are serialized: upstream answers and renewals come from other threads.
 *
 * @param <Q> the request type
 * @param <R> the response type
 */
abstract class ProxySession<Q, R> implements StreamObserver<Q> {

    private final StreamObserver<R> down;
    /** Opens the upstream stream given where its answers go; null on the SDS-only service. */
    private final Function<StreamObserver<R>, StreamObserver<Q>> upstream;
    final Renewer renewer;
    private final Consumer<Credentials> pushOnRenewal = c -> renewed();
    private Node node;
    private StreamObserver<Q> up;
    private boolean upHasNode;
    private long nonce;
    private boolean closed;

    ProxySession(StreamObserver<R> down, Function<StreamObserver<R>, StreamObserver<Q>> upstream, Renewer renewer) {
        this.down = down;
        this.upstream = upstream;
        this.renewer = renewer;
        renewer.onRenewal(pushOnRenewal);
    }

    abstract String typeUrl(Q request);

    /** The request's node, or null without one. */
    abstract Node node(Q request);

    abstract Q withNode(Q request, Node node);

    /** Answers a request for secrets (or ignores an ACK of them). */
    abstract void secrets(Q request);

    /** Sends the renewed secrets to a stream that asked for some. */
    abstract void push();

    @Override
    public final synchronized void onNext(Q request) {
        if (closed) {
            return;
        }
        if (node == null) {
            node = node(request);
        }
        if (LocalSecrets.TYPE_URL.equals(typeUrl(request))) {
            secrets(request);
        } else if (upstream == null) {
            fail(Status.UNIMPLEMENTED.withDescription("this is the agent's SDS service; it serves only "
                    + LocalSecrets.TYPE_URL));
        } else {
            forward(request);
        }
    }

    /** A nonce of the agent's own responses, apart from the distributor's. */
    final String nextNonce() {
        return "sds-" + ++nonce;
    }

    /** To the proxy; callers hold this session's lock. */
    final void send(R response) {
        down.onNext(response);
    }

    private synchronized void renewed() {
        if (!closed) {
            push();
        }
    }

    private void forward(Q request) {
        if (up == null) {
            up = upstream.apply(new StreamObserver<>() {
                @Override
                public void onNext(R response) {
                    fromUpstream(response);
                }

                @Override
                public void onError(Throwable t) {
                    fail(Status.fromThrowable(t));
                }

                @Override
                public void onCompleted() {
                    fail(Status.UNAVAILABLE.withDescription("the distributor ended the stream"));
                }
            });
        }
        if (!upHasNode && node(request) == null && node != null) {
            request = withNode(request, node);
        }
        upHasNode = true;
        up.onNext(request);
    }

    private synchronized void fromUpstream(R response) {
        if (!closed) {
            down.onNext(response);
        }
    }

    private synchronized void fail(Status status) {
        if (!closed) {
            end();
            down.onError(status.asRuntimeException());
        }
    }

    @Override
    public final synchronized void onError(Throwable t) {
        end();
    }

    @Override
    public final synchronized void onCompleted() {
        boolean open = !closed;
        end();
        if (open) {
            down.onCompleted();
        }
    }

    private void end() {
        if (!closed) {
            closed = true;
            renewer.removeListener(pushOnRenewal);
            if (up != null) {
                up.onError(Status.CANCELLED.withDescription("the proxy's stream ended").asRuntimeException());
            }
        }
    }
}
