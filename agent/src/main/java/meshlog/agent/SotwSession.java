package meshlog.agent;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One state-of-the-world stream from Envoy or a gRPC client (ADS, or SDS alone): secret requests are answered here
 * from the agent's own certificate, and pushed again on renewal; everything else goes to the distributor over the
 * agent's mTLS stream, opened on the first such request, with the stream's node (sent once by Envoy) on its first
 * message. Writes to the proxy are serialized: upstream answers and renewals come from other threads.
 */
final class SotwSession implements StreamObserver<DiscoveryRequest> {

    private static final Logger LOG = LoggerFactory.getLogger("meshlog.agent");

    private final StreamObserver<DiscoveryResponse> down;
    /** Opens the upstream stream given where its answers go; null on the SDS-only service. */
    private final Function<StreamObserver<DiscoveryResponse>, StreamObserver<DiscoveryRequest>> upstream;
    private final Renewer renewer;
    private final Consumer<Credentials> pushOnRenewal = c -> push();
    private Node node;
    private StreamObserver<DiscoveryRequest> up;
    private boolean upHasNode;
    private Set<String> secretNames;
    private String sentVersion = "";
    private long nonce;
    private boolean closed;

    SotwSession(StreamObserver<DiscoveryResponse> down,
                Function<StreamObserver<DiscoveryResponse>, StreamObserver<DiscoveryRequest>> upstream,
                Renewer renewer) {
        this.down = down;
        this.upstream = upstream;
        this.renewer = renewer;
        renewer.onRenewal(pushOnRenewal);
    }

    @Override
    public synchronized void onNext(DiscoveryRequest request) {
        if (closed) {
            return;
        }
        if (node == null && request.hasNode()) {
            node = request.getNode();
        }
        if (LocalSecrets.TYPE_URL.equals(request.getTypeUrl())) {
            secrets(request);
        } else if (upstream == null) {
            fail(Status.UNIMPLEMENTED.withDescription("this is the agent's SDS service; it serves only "
                    + LocalSecrets.TYPE_URL));
        } else {
            forward(request);
        }
    }

    private void secrets(DiscoveryRequest request) {
        if (request.hasErrorDetail()) {
            LOG.warn("proxy rejected the SDS secrets version {}: {}", request.getVersionInfo(),
                    meshlog.configstore.LogSafe.value(request.getErrorDetail().getMessage()));
            return;
        }
        Set<String> names = Set.copyOf(request.getResourceNamesList());
        boolean ack = names.equals(secretNames) && request.getVersionInfo().equals(sentVersion);
        secretNames = names;
        if (!ack) {
            send();
        }
    }

    /** On renewal: the new certificate to a stream that asked for secrets. */
    private synchronized void push() {
        if (!closed && secretNames != null) {
            send();
        }
    }

    private void send() {
        Credentials c = renewer.current();
        sentVersion = LocalSecrets.version(c);
        DiscoveryResponse.Builder response = DiscoveryResponse.newBuilder().setTypeUrl(LocalSecrets.TYPE_URL)
                .setVersionInfo(sentVersion).setNonce("sds-" + ++nonce);
        LocalSecrets.of(c, secretNames).forEach(s -> response.addResources(Any.pack(s)));
        down.onNext(response.build());
    }

    private void forward(DiscoveryRequest request) {
        if (up == null) {
            up = upstream.apply(new StreamObserver<>() {
                @Override
                public void onNext(DiscoveryResponse response) {
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
        if (!upHasNode && !request.hasNode() && node != null) {
            request = request.toBuilder().setNode(node).build();
        }
        upHasNode = true;
        up.onNext(request);
    }

    private synchronized void fromUpstream(DiscoveryResponse response) {
        if (!closed) {
            down.onNext(response);
        }
    }

    /** Ends the proxy's stream with the distributor's status (a refusal reaches the proxy as it was sent). */
    private synchronized void fail(Status status) {
        if (closed) {
            return;
        }
        end();
        down.onError(status.asRuntimeException());
    }

    @Override
    public synchronized void onError(Throwable t) {
        end();
    }

    @Override
    public synchronized void onCompleted() {
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
