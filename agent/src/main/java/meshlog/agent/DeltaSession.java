package meshlog.agent;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.stub.StreamObserver;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A delta stream ({@code DELTA_GRPC}, what {@code meshlog bootstrap} gives Envoy; {@link ProxySession}): secrets
 * newly subscribed are sent, an ACK (nothing newly subscribed) is not answered, and a renewal sends every secret
 * subscribed.
 */
final class DeltaSession extends ProxySession<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {

    private static final Logger LOG = LoggerFactory.getLogger("meshlog.agent");

    private final Set<String> subscribed = new TreeSet<>();

    DeltaSession(StreamObserver<DeltaDiscoveryResponse> down,
                 Function<StreamObserver<DeltaDiscoveryResponse>, StreamObserver<DeltaDiscoveryRequest>> upstream,
                 Renewer renewer) {
        super(down, upstream, renewer);
    }

    @Override
    String typeUrl(DeltaDiscoveryRequest request) {
        return request.getTypeUrl();
    }

    @Override
    Node node(DeltaDiscoveryRequest request) {
        return request.hasNode() ? request.getNode() : null;
    }

    @Override
    DeltaDiscoveryRequest withNode(DeltaDiscoveryRequest request, Node node) {
        return request.toBuilder().setNode(node).build();
    }

    @Override
    void secrets(DeltaDiscoveryRequest request) {
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
            sendSecrets(added);
        }
    }

    @Override
    void push() {
        if (!subscribed.isEmpty()) {
            sendSecrets(subscribed);
        }
    }

    private void sendSecrets(Set<String> names) {
        Credentials c = renewer.current();
        String version = LocalSecrets.version(c);
        DeltaDiscoveryResponse.Builder response = DeltaDiscoveryResponse.newBuilder()
                .setTypeUrl(LocalSecrets.TYPE_URL).setSystemVersionInfo(version).setNonce(nextNonce());
        LocalSecrets.of(c, Set.copyOf(names)).forEach(s -> response.addResources(Resource.newBuilder()
                .setName(s.getName()).setVersion(version).setResource(Any.pack(s))));
        send(response.build());
    }
}
