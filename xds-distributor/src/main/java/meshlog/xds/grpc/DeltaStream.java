package meshlog.xds.grpc;

import com.google.protobuf.Any;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import meshlog.configstore.snapshot.ScopeSnapshot;

/**
 * What one delta ADS stream was sent and what its proxy answered, repairing what java-control-plane 1.0.49 does not
 * do on delta. Each response of a type names the snapshot's version of that type ({@code system_version_info}), so an
 * ACK or NACK is reported with the same version as on a state-of-the-world stream.
 *
 * <p><b>NACK hold.</b> After a NACK the cache still counts the rejected resources as subscribed but not received, and
 * for EDS and RDS (the types it does not serve as wildcard) it answers such a request at once: the rejected response
 * again, thousands of times a second. A NACK is therefore forwarded as if the proxy had accepted the response, so the
 * cache takes the rejected versions as held and sends a resource again only when it changes. The proxy keeps its last
 * good config. The NACK is reported once, and the type is not reported as accepted again until every resource of the
 * rejected response has been replaced or removed by a response the proxy accepted.
 *
 * <p><b>Versions.</b> The cache versions a resource by a hash of {@code Message.hashCode()}, which depends on the
 * identity hash of the message's descriptor: another process gives the same content another version. Every resource
 * sent is versioned here by the SHA-256 of its bytes instead, so every replica gives it the same version.
 *
 * <p><b>Reconnection.</b> The cache ignores {@code initial_resource_versions}: a proxy that reconnects is resent
 * everything, and a resource it still holds that the snapshot no longer has is never removed. The first response of
 * each type therefore leaves out what the proxy holds at the same version, and removes what it holds that the
 * response does not have (that response has every resource the proxy subscribes to: the cache knows of nothing the
 * proxy holds yet).
 *
 * <p><b>Subscriptions.</b> The cache serves CDS and LDS as wildcard only (every cluster and listener to every proxy),
 * and under a wildcard subscription a resource the proxy unsubscribes from by name stays subscribed. The cache instead
 * forgets that the proxy holds it: its removal would never be sent, and subscribing to it again would never be
 * answered. Unsubscriptions by name of those types are therefore not forwarded. (EDS and RDS need nothing: the cache
 * answers a name subscribed again.)
 */
final class DeltaStream implements ProxyStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {

    private static final Set<String> WILDCARD_TYPES =
            Set.of(Resources.V3.CLUSTER_TYPE_URL, Resources.V3.LISTENER_TYPE_URL);
    private static final String WILDCARD = "*";

    /** A response sent and not answered yet: its type version and every resource it sent or removed. */
    private record Sent(String typeUrl, String version, Set<String> names) {
    }

    private final boolean holdNacks;
    private Node node;
    /** By nonce. The cache waits for the answer to a type's response before it opens the next watch of that type. */
    private final Map<String, Sent> unanswered = new HashMap<>();
    /** By type: the resources of a held NACKed response that no accepted response has replaced yet. */
    private final Map<String, Set<String>> rejected = new HashMap<>();
    /** By type: what the proxy said it held on reconnecting, until the first response of that type. */
    private final Map<String, Map<String, String>> heldOnConnect = new HashMap<>();
    private final Set<String> requestedTypes = new HashSet<>();
    private final Set<String> answeredTypes = new HashSet<>();

    /** By type: the nonce of the latest response sent. */
    private final Map<String, String> latestNonce = new HashMap<>();
    private final java.util.function.Consumer<String> expired;

    DeltaStream(boolean holdNacks) {
        this(holdNacks, type -> { });
    }

    /** @param expired told the type of each request answering a response older than the type's latest */
    DeltaStream(boolean holdNacks, java.util.function.Consumer<String> expired) {
        this.holdNacks = holdNacks;
        this.expired = expired;
    }

    /**
     * Versions already computed, by the serialized resource itself (weak keys compare by identity): the server's
     * serializer hands every stream the same bytes for the same resource, so each is hashed once, not once per
     * proxy.
     */
    private static final com.google.common.cache.Cache<com.google.protobuf.ByteString, String> VERSIONS =
            com.google.common.cache.CacheBuilder.newBuilder().weakKeys().build();

    /** The version of a resource on every replica: the SHA-256 of its bytes, cut like the snapshot's type versions. */
    static String versionOf(Any resource) {
        com.google.protobuf.ByteString bytes = resource.getValue();
        String known = VERSIONS.getIfPresent(bytes);
        if (known != null) {
            return known;
        }
        String version = ScopeSnapshot.hash(bytes.toByteArray()).substring(0, 16);
        VERSIONS.put(bytes, version);
        return version;
    }

    @Override
    public synchronized DeltaDiscoveryResponse sent(DeltaDiscoveryResponse response) {
        String type = response.getTypeUrl();
        Map<String, String> held = answeredTypes.add(type) ? heldOnConnect.remove(type) : null;
        DeltaDiscoveryResponse.Builder out = response.toBuilder().clearResources();
        Set<String> names = new HashSet<>(response.getRemovedResourcesList());
        for (Resource resource : response.getResourcesList()) {
            String version = versionOf(resource.getResource());
            names.add(resource.getName());
            if (held == null || !version.equals(held.get(resource.getName()))) {
                out.addResources(resource.toBuilder().setVersion(version));
            }
        }
        if (held != null) {
            held.keySet().stream().filter(name -> !names.contains(name)).sorted().forEach(name -> {
                out.addRemovedResources(name);
                names.add(name);
            });
        }
        unanswered.put(response.getNonce(), new Sent(type, response.getSystemVersionInfo(), names));
        latestNonce.put(type, response.getNonce());
        return out.build();
    }

    @Override
    public synchronized Outcome<DeltaDiscoveryRequest> received(DeltaDiscoveryRequest request) {
        DeltaDiscoveryRequest forward = forwardable(request);
        String type = forward.getTypeUrl();
        if (requestedTypes.add(type) && forward.getInitialResourceVersionsCount() > 0) {
            heldOnConnect.put(type, Map.copyOf(forward.getInitialResourceVersionsMap()));
        }
        String nonce = forward.getResponseNonce();
        if (nonce.isEmpty()) {
            return outcome(forward, null);
        }
        if (!nonce.equals(latestNonce.get(type))) {
            expired.accept(type);
        }
        Sent sent = unanswered.remove(nonce);
        String error = forward.hasErrorDetail() ? forward.getErrorDetail().getMessage() : null;
        if (sent == null) {
            // The cache reads the versions of the response an ACK names, without looking whether it found one: a
            // nonce it does not know (or knows as answered already) ends the stream with UNKNOWN. Such a request can
            // only change subscriptions, so it goes on without its nonce.
            StreamEvent nack = error == null ? null : new StreamEvent.Nack(type, "", error);
            return outcome(forward.toBuilder().clearResponseNonce().build(), nack);
        }
        if (error != null) {
            if (!holdNacks) {
                return outcome(forward, new StreamEvent.Nack(type, sent.version(), error));
            }
            rejected.computeIfAbsent(type, t -> new HashSet<>()).addAll(sent.names());
            return outcome(forward.toBuilder().clearErrorDetail().build(),
                    new StreamEvent.Nack(type, sent.version(), error));
        }
        Set<String> stillRejected = rejected.get(type);
        if (stillRejected != null) {
            stillRejected.removeAll(sent.names());
            if (!stillRejected.isEmpty()) {
                return outcome(forward, null);
            }
            rejected.remove(type);
        }
        return outcome(forward, new StreamEvent.Ack(type, sent.version()));
    }

    private static Outcome<DeltaDiscoveryRequest> outcome(DeltaDiscoveryRequest forward, StreamEvent event) {
        return new Outcome<>(forward, forward.getNode(), event);
    }

    /** The request with the stream's node (proxies may send it only once) and without what the cache gets wrong. */
    private DeltaDiscoveryRequest forwardable(DeltaDiscoveryRequest request) {
        if (node == null && request.hasNode()) {
            node = request.getNode();
        }
        DeltaDiscoveryRequest.Builder forward = request.toBuilder();
        if (!request.hasNode() && node != null) {
            forward.setNode(node);
        }
        if (WILDCARD_TYPES.contains(request.getTypeUrl()) && request.getResourceNamesUnsubscribeCount() > 0) {
            List<String> kept = request.getResourceNamesUnsubscribeList().stream().filter(WILDCARD::equals).toList();
            forward.clearResourceNamesUnsubscribe().addAllResourceNamesUnsubscribe(kept);
        }
        return forward.build();
    }
}
