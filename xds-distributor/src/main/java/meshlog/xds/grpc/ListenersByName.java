package meshlog.xds.grpc;

import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Answers a state-of-the-world LDS request by name at once with the listeners the snapshot has, even when some
 * named one is not there. A gRPC client asks for the listener of every target it dials ({@code xds:///<name>}), and
 * any string may be dialed; in ADS mode java-control-plane 1.0.49 answers a request only once every name it asks
 * for exists, so one unknown name left the whole LDS request unanswered: the known listeners of the same stream
 * too, and their later changes. Istio answers with what it has (grpcgen {@code BuildListeners} builds only the
 * names it resolves). The unknown target itself fails the same either way: grpc-java (1.85.1) does not take a
 * listener left out of a response as absent before its 15 s does-not-exist timer ends, and then fails the call
 * UNAVAILABLE. Envoy subscribes to LDS as a wildcard (no names) or over delta, neither of which this touches; the
 * other types keep ADS mode, where a name the snapshot lacks is one no published snapshot references.
 */
final class ListenersByName implements ConfigWatcher {

    private final ConfigWatcher cache;

    ListenersByName(ConfigWatcher cache) {
        this.cache = cache;
    }

    @Override
    public Watch createWatch(boolean ads, XdsRequest request, Set<String> knownResourceNames,
                             Consumer<Response> responseConsumer, boolean hasClusterChanged,
                             boolean allowDefaultEmptyEdsUpdate) {
        boolean byName = request.getResourceType() == Resources.ResourceType.LISTENER
                && !request.getResourceNamesList().isEmpty();
        return cache.createWatch(ads && !byName, request, knownResourceNames, responseConsumer, hasClusterChanged,
                allowDefaultEmptyEdsUpdate);
    }

    @Override
    public DeltaWatch createDeltaWatch(DeltaXdsRequest request, String requesterVersion,
                                       Map<String, String> resourceVersions, Set<String> pendingResources,
                                       boolean isWildcard, Consumer<DeltaResponse> responseConsumer,
                                       boolean hasClusterChanged) {
        return cache.createDeltaWatch(request, requesterVersion, resourceVersions, pendingResources, isWildcard,
                responseConsumer, hasClusterChanged);
    }
}
