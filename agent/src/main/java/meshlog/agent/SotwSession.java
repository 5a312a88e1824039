package meshlog.agent;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.StreamObserver;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A state-of-the-world stream ({@link ProxySession}): a secrets request names the secrets it wants; one repeating
 * the names and the version just sent is the ACK, and is not answered.
 */
final class SotwSession extends ProxySession<DiscoveryRequest, DiscoveryResponse> {

    private static final Logger LOG = LoggerFactory.getLogger("meshlog.agent");

    private Set<String> secretNames;
    private String sentVersion = "";

    SotwSession(StreamObserver<DiscoveryResponse> down,
                Function<StreamObserver<DiscoveryResponse>, StreamObserver<DiscoveryRequest>> upstream,
                Renewer renewer) {
        super(down, upstream, renewer);
    }

    @Override
    String typeUrl(DiscoveryRequest request) {
        return request.getTypeUrl();
    }

    @Override
    Node node(DiscoveryRequest request) {
        return request.hasNode() ? request.getNode() : null;
    }

    @Override
    DiscoveryRequest withNode(DiscoveryRequest request, Node node) {
        return request.toBuilder().setNode(node).build();
    }

    @Override
    void secrets(DiscoveryRequest request) {
        if (request.hasErrorDetail()) {
            LOG.warn("proxy rejected the SDS secrets version {}: {}", request.getVersionInfo(),
                    meshlog.configstore.LogSafe.value(request.getErrorDetail().getMessage()));
            return;
        }
        Set<String> names = Set.copyOf(request.getResourceNamesList());
        boolean ack = names.equals(secretNames) && request.getVersionInfo().equals(sentVersion);
        secretNames = names;
        if (!ack) {
            sendSecrets();
        }
    }

    @Override
    void push() {
        if (secretNames != null) {
            sendSecrets();
        }
    }

    private void sendSecrets() {
        Credentials c = renewer.current();
        sentVersion = LocalSecrets.version(c);
        DiscoveryResponse.Builder response = DiscoveryResponse.newBuilder().setTypeUrl(LocalSecrets.TYPE_URL)
                .setVersionInfo(sentVersion).setNonce(nextNonce());
        LocalSecrets.of(c, secretNames).forEach(s -> response.addResources(Any.pack(s)));
        send(response.build());
    }
}
