package meshlog.xds.grpc;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What one ADS stream was sent and what its proxy answered: tells an ACK from a NACK by the response nonce, and holds
 * a NACKed version so it is not sent again (the NACK hot loop of java-control-plane's {@code SimpleCache}).
 *
 * <p>The hold works on the request handed to java-control-plane: a NACK of the latest response is forwarded as if the
 * proxy had accepted that version (version_info = the rejected version, no error_detail). The cache then opens a watch
 * that fires only when the snapshot's version of that type changes, and the proxy keeps its last good config.
 * Later requests carrying the same nonce (a proxy changing its subscriptions) are treated the same way.
 *
 * <p>It also repairs a gap in java-control-plane 1.0.49: the cache takes the names of its last response as what the
 * proxy holds, but a gRPC client drops a resource it unsubscribes from. When it subscribes again (a route sends
 * traffic back to a cluster it had left, as a rollback does), the cache would see nothing new and stay silent. A
 * request that adds names is therefore forwarded without its version, so the cache answers it at once.
 *
 * <p>A stream's first request of a type that names a version (a proxy reconnecting) is reported as an ACK of that
 * version: the proxy holds it, and the cache may never answer it.
 */
final class AdsStream implements ProxyStream<DiscoveryRequest, DiscoveryResponse> {

    /** Nonces remembered per type, to name the version of a late NACK; only the latest matters for the hold. */
    private static final int NONCES_KEPT = 8;

    private final boolean holdNacks;
    private Node node;
    private final Map<String, LinkedHashMap<String, String>> versionByNonce = new HashMap<>();
    private final Map<String, String> latestNonce = new HashMap<>();
    private final Map<String, String> heldNonce = new HashMap<>();
    private final Map<String, Set<String>> requestedNames = new HashMap<>();

    private final java.util.function.Consumer<String> expired;

    AdsStream(boolean holdNacks) {
        this(holdNacks, type -> { });
    }

    /** @param expired told the type of each request answering a response older than the type's latest */
    AdsStream(boolean holdNacks, java.util.function.Consumer<String> expired) {
        this.holdNacks = holdNacks;
        this.expired = expired;
    }

    @Override
    public synchronized DiscoveryResponse sent(DiscoveryResponse response) {
        String type = response.getTypeUrl();
        versionByNonce.computeIfAbsent(type, t -> new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > NONCES_KEPT;
            }
        }).put(response.getNonce(), response.getVersionInfo());
        latestNonce.put(type, response.getNonce());
        return response;
    }

    @Override
    public synchronized Outcome<DiscoveryRequest> received(DiscoveryRequest request) {
        DiscoveryRequest forward = withNode(request);
        String type = forward.getTypeUrl();
        String nonce = forward.getResponseNonce();
        boolean first = !requestedNames.containsKey(type);
        boolean subscribesMore = subscribesMore(type, forward);
        if (nonce.isEmpty()) {
            // A proxy reconnecting (from another replica, say) names the version it holds. When that is the version
            // served, the cache sends nothing for a type it serves as wildcard (Envoy's CDS and LDS), so no ACK
            // would ever report it: the proxy's own word is reported instead (versions are content hashes, equal
            // on every replica).
            boolean holds = first && !forward.getVersionInfo().isEmpty();
            return outcome(forward, holds ? new StreamEvent.Ack(type, forward.getVersionInfo()) : null);
        }
        if (!nonce.equals(latestNonce.get(type))) {
            expired.accept(type);
        }
        String version = versionByNonce.getOrDefault(type, new LinkedHashMap<>()).getOrDefault(nonce, "");
        if (forward.hasErrorDetail()) {
            if (holdNacks && nonce.equals(latestNonce.get(type))) {
                heldNonce.put(type, nonce);
            }
            StreamEvent.Nack nack = new StreamEvent.Nack(type, version, forward.getErrorDetail().getMessage());
            return outcome(isHeld(type, nonce) ? asIfAccepted(forward, version) : forward, nack);
        }
        if (isHeld(type, nonce)) {
            // A new subscription during a hold still needs its answer: that resends the rejected version once,
            // and its NACK is held again.
            DiscoveryRequest held = asIfAccepted(forward, version);
            return outcome(subscribesMore ? held.toBuilder().clearVersionInfo().build() : held, null);
        }
        StreamEvent.Ack ack = new StreamEvent.Ack(type, forward.getVersionInfo());
        return outcome(subscribesMore ? forward.toBuilder().clearVersionInfo().build() : forward, ack);
    }

    private static Outcome<DiscoveryRequest> outcome(DiscoveryRequest forward, StreamEvent event) {
        return new Outcome<>(forward, forward.getNode(), event);
    }

    /** Whether this request names a resource the previous one of its type did not. */
    private boolean subscribesMore(String type, DiscoveryRequest request) {
        Set<String> names = Set.copyOf(request.getResourceNamesList());
        Set<String> before = requestedNames.put(type, names);
        if (before == null) {
            return false;
        }
        // Only added names count: an empty list from a gRPC client unsubscribes everything (and Envoy's wildcard
        // subscriptions start empty), so it must not provoke a push of every resource.
        return !names.isEmpty() && !before.isEmpty() && !before.containsAll(names);
    }

    /** The node of the stream's first request (proxies may send it only once, as Envoy can be told to). */
    private DiscoveryRequest withNode(DiscoveryRequest request) {
        if (node == null && request.hasNode()) {
            node = request.getNode();
        }
        return request.hasNode() || node == null ? request : request.toBuilder().setNode(node).build();
    }

    private boolean isHeld(String type, String nonce) {
        return nonce.equals(heldNonce.get(type)) && nonce.equals(latestNonce.get(type));
    }

    private static DiscoveryRequest asIfAccepted(DiscoveryRequest request, String version) {
        return request.toBuilder().setVersionInfo(version).clearErrorDetail().build();
    }
}
