package meshlog.reconciler.translate;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.model.PeerAuthentication;
import meshlog.gatewayapi.model.PeerAuthentication.MtlsMode;
import meshlog.reconciler.ir.InboundTlsIr;
import meshlog.reconciler.ir.TranslationNote;

/**
 * The PeerAuthentications that apply to one sidecar's workload, resolved into what its inbound ports accept, as
 * Istio composes them ({@code ComposePeerAuthentication}):
 *
 * <ul>
 *   <li>the mesh policy: a selector-less one in the root namespace ({@code istio-system}); the namespace policy: a
 *       selector-less one in the workload's namespace; the workload policy: one of the workload's namespace whose
 *       selector's labels the workload carries. A selector in the root namespace makes a workload policy of the
 *       root namespace's workloads only, as in Istio.</li>
 *   <li>Where Istio takes the oldest of several at one level, meshlog takes the first by name (it keeps no creation
 *       times) and notes the others.</li>
 *   <li>{@code UNSET} takes the mode of the level above; with nothing above, PERMISSIVE.</li>
 *   <li>The workload policy's {@code portLevelMtls} sets single workload ports, UNSET there meaning the workload's
 *       mode.</li>
 * </ul>
 */
final class PeerAuthenticationTranslator {

    private PeerAuthenticationTranslator() {
    }

    /** @param policies sorted by namespace/name */
    static InboundTlsIr translate(List<PeerAuthentication> policies, ProxyScope scope, List<TranslationNote> notes) {
        PeerAuthentication mesh = null;
        PeerAuthentication namespace = null;
        PeerAuthentication workload = null;
        for (PeerAuthentication pa : policies) {
            String ns = pa.metadata().namespace();
            boolean selectorLess = pa.selector() == null || pa.selector().matchLabels().isEmpty();
            if (selectorLess && ns.equals(SidecarSelector.ROOT_NAMESPACE)) {
                mesh = first(mesh, pa, "mesh-wide", notes);
            }
            if (!ns.equals(scope.namespace())) {
                continue;
            }
            if (selectorLess && !ns.equals(SidecarSelector.ROOT_NAMESPACE)) {
                namespace = first(namespace, pa, "namespace-wide", notes);
            } else if (!selectorLess && SidecarSelector.selects(pa.selector().matchLabels(), scope.labels())) {
                workload = first(workload, pa, "selecting this workload", notes);
            }
        }
        InboundTlsIr.Mode mode = InboundTlsIr.Mode.PERMISSIVE;
        for (PeerAuthentication level : new PeerAuthentication[] {mesh, namespace, workload}) {
            if (level != null) {
                mode = resolve(level.mode(), mode);
            }
        }
        Map<Integer, InboundTlsIr.Mode> ports = new TreeMap<>();
        if (workload != null) {
            for (Map.Entry<Integer, MtlsMode> e : workload.portLevelMtls().entrySet()) {
                ports.put(e.getKey(), resolve(e.getValue(), mode));
            }
        }
        return new InboundTlsIr(mode, ports);
    }

    private static PeerAuthentication first(PeerAuthentication kept, PeerAuthentication pa, String level,
                                            List<TranslationNote> notes) {
        if (kept == null) {
            return pa;
        }
        notes.add(new TranslationNote(pa.key().toString(), "another PeerAuthentication " + level + " applies ("
                + kept.key() + ", first by name, as Istio takes the oldest); this one is ignored here"));
        return kept;
    }

    private static InboundTlsIr.Mode resolve(MtlsMode mode, InboundTlsIr.Mode parent) {
        return switch (mode) {
            case UNSET -> parent;
            case DISABLE -> InboundTlsIr.Mode.DISABLE;
            case PERMISSIVE -> InboundTlsIr.Mode.PERMISSIVE;
            case STRICT -> InboundTlsIr.Mode.STRICT;
        };
    }
}
