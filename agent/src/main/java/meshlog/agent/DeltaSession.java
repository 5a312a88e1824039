package meshlog.agent;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delta stream ({@code DELTA_GRPC}, what {@code meshlog bootstrap} gives Envoy), as {@link SotwSession}: the
 * secrets subscribed are answered here and pushed again on renewal, the rest is proxied to the distributor.
 */
final class DeltaSession implements StreamObserver<DeltaDiscoveryRequest> {

    private static final Logger LOG = LoggerFactory.getLogger("meshlog.agent");

    private final StreamObserver<DeltaDiscoveryResponse> down;
    private final Function<StreamObserver<DeltaDiscoveryResponse>, StreamObserver<DeltaDiscoveryRequest>> upstream;
    private final Renewer renewer;
    private final Consumer<Credentials> pushOnRenewal = c -> push();
    private final Set<String> subscribed = new TreeSet<>();
    private Node node;
    private StreamObserver<DeltaDiscoveryRequest> up;
    private boolean upHasNode;
    private long nonce;
    private boolean closed;

    DeltaSession(StreamObserver<DeltaDiscoveryResponse> down,
                 Function<StreamObserver<DeltaDiscoveryResponse>, StreamObserver<DeltaDiscoveryRequest>> upstream,
                 Renewer renewer) {
        this.down = down;
        this.upstream = upstream;
        this.renewer = renewer;
        renewer.onRenewal(pushOnRenewal);
    }

    @Override
    public synchronized void onNext(DeltaDiscoveryRequest request) {
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

    private void secrets(DeltaDiscoveryRequest request) {
        if (request.hasErrorDetail()) {
            LOG.warn("proxy rejected the SDS secrets: {}",
                    meshlog.configstore.LogSafe.value(request.getErrorDetail().getMessage()));
            return;
        }
        Set<String> added = new TreeSet<>(request.getResourceNamesSubscribeList());
        added.removeAll(subscribed);
        subscribed.addAll(request.getResourceNamesSubscribeList());
        subscribed.removeAll(request.getResourceNamesUnsubscribeList());
        // A reconnecting proxy says what it holds; it gets the current version anyway (it may be a renewed one).
        added.addAll(request.getInitialResourceVersionsMap().keySet());
        if (!added.isEmpty()) {
            send(added);
        }
    }

    private synchronized void push() {
        if (!closed && !subscribed.isEmpty()) {
            send(subscribed);
        }
    }

    private void send(Set<String> names) {
        Credentials c = renewer.current();
        String version = LocalSecrets.version(c);
        DeltaDiscoveryResponse.Builder response = DeltaDiscoveryResponse.newBuilder()
                .setTypeUrl(LocalSecrets.TYPE_URL).setSystemVersionInfo(version).setNonce("sds-" + ++nonce);
        LocalSecrets.of(c, Set.copyOf(names)).forEach(s -> response.addResources(Resource.newBuilder()
                .setName(s.getName()).setVersion(version).setResource(Any.pack(s))));
        down.onNext(response.build());
    }

    private void forward(DeltaDiscoveryRequest request) {
        if (up == null) {
            up = upstream.apply(new StreamObserver<>() {
                @Override
                public void onNext(DeltaDiscoveryResponse response) {
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

    private synchronized void fromUpstream(DeltaDiscoveryResponse response) {
        if (!closed) {
            down.onNext(response);
        }
    }

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
