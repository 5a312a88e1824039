package meshlog.reconciler.translate;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.model.ServiceEntry;
import meshlog.gatewayapi.model.Sidecar;
import meshlog.gatewayapi.model.VirtualService;

/**
 * The part of a scope's labels its translation reads: only the label keys some config object selects on
 * (VirtualService {@code sourceLabels}, Sidecar and ServiceEntry {@code workloadSelector}s). Two scopes of one
 * namespace and interception mode whose labels agree on those keys translate to the same config, so the
 * reconciler computes it once for both. Every translator that reads {@link ProxyScope#labels()} must add the keys
 * it reads here.
 */
public final class ScopeLabels {

    private ScopeLabels() {
    }

    /** The label keys any object of {@code model} selects on, sorted. */
    public static Set<String> keysRead(MeshTranslator.ClusterModel model) {
        Set<String> keys = new TreeSet<>();
        for (VirtualService vs : model.virtualServices()) {
            vs.http().forEach(h -> h.match().forEach(m -> keys.addAll(m.sourceLabels().keySet())));
        }
        for (Sidecar sc : model.sidecars()) {
            if (sc.workloadSelector() != null) {
                keys.addAll(sc.workloadSelector().labels().keySet());
            }
        }
        for (ServiceEntry se : model.serviceEntries()) {
            if (se.workloadSelector() != null) {
                keys.addAll(se.workloadSelector().labels().keySet());
            }
        }
        return keys;
    }

    /** {@code scope} with only the labels whose keys are in {@code keys}: what its translation depends on. */
    public static ProxyScope relevant(ProxyScope scope, Set<String> keys) {
        Map<String, String> kept = new TreeMap<>(scope.labels());
        kept.keySet().retainAll(keys);
        return new ProxyScope(scope.kind(), scope.namespace(), kept, scope.interception());
    }
}
