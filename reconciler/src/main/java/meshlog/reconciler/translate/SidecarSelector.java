package meshlog.reconciler.translate;

import java.util.List;
import java.util.Map;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.model.Sidecar;
import meshlog.reconciler.ir.TranslationNote;

/**
 * Which {@code Sidecar} applies to a proxy, as Istio chooses: one in the proxy's namespace whose
 * {@code workloadSelector} selects the proxy's labels; else the namespace's Sidecar without a selector; else the
 * root namespace's ({@code istio-system}) Sidecar without a selector; else none. Where Istio takes the oldest of
 * several candidates, meshlog (which has no creation times) takes the first by name and notes the others.
 */
final class SidecarSelector {

    /** Istio's default root namespace: its selector-less Sidecar is the mesh-wide default. */
    static final String ROOT_NAMESPACE = "istio-system";

    private SidecarSelector() {
    }

    /**
     * @param sidecars sorted by namespace/name
     * @return null when no Sidecar applies
     */
    static Sidecar select(List<Sidecar> sidecars, ProxyScope scope, List<TranslationNote> notes) {
        if (scope.kind() != ProxyScope.Kind.SIDECAR) {
            return null;
        }
        String ns = scope.namespace();
        Sidecar chosen = first(sidecars.stream().filter(s -> s.metadata().namespace().equals(ns)
                && s.workloadSelector() != null && selects(s.workloadSelector().labels(), scope.labels()))
                .toList(), "select the labels " + scope.labels() + " of namespace " + ns, notes);
        if (chosen == null) {
            chosen = first(sidecars.stream().filter(s -> s.metadata().namespace().equals(ns)
                    && s.workloadSelector() == null).toList(), "have no workloadSelector in " + ns, notes);
        }
        if (chosen == null && !ns.equals(ROOT_NAMESPACE)) {
            chosen = first(sidecars.stream().filter(s -> s.metadata().namespace().equals(ROOT_NAMESPACE)
                    && s.workloadSelector() == null).toList(), "are mesh-wide defaults in " + ROOT_NAMESPACE, notes);
        }
        return chosen;
    }

    /** Whether {@code selector} (all of its labels; an empty one selects everything) matches {@code labels}. */
    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return labels.entrySet().containsAll(selector.entrySet());
    }

    private static Sidecar first(List<Sidecar> candidates, String why, List<TranslationNote> notes) {
        if (candidates.isEmpty()) {
            return null;
        }
        Sidecar chosen = candidates.get(0);
        for (Sidecar other : candidates.subList(1, candidates.size())) {
            notes.add(new TranslationNote(other.key().toString(), "several Sidecars " + why + "; " + chosen.key()
                    + " applies (the first by name; Istio takes the oldest), not this one"));
        }
        return chosen;
    }
}
