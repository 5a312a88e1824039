package meshlog.reconciler.translate;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.model.PeerAuthentication;
import meshlog.gatewayapi.model.PeerAuthentication.MtlsMode;
import meshlog.reconciler.ir.BackendIr;
import meshlog.reconciler.ir.InboundTlsIr;
import meshlog.reconciler.ir.UpstreamTlsIr;
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

    /**
     * Auto mTLS as Istio's {@code BestEffortInferServiceMTLSMode}: a service whose namespace policy (else the mesh
     * policy) is DISABLE is sent plain text; workload and port policies are not looked at (a client cannot know
     * which workload it reaches), so their DISABLE needs a DestinationRule {@code tls: {mode: DISABLE}}, as in
     * Istio.
     *
     * @param namespaceOf the namespace of a backend's service
     */
    static List<BackendIr> inferAutoMtls(List<BackendIr> backends, List<PeerAuthentication> policies,
                                         java.util.function.Function<BackendIr, String> namespaceOf) {
        return backends.stream().map(b -> {
            UpstreamTlsIr tls = b.policy().tls();
            boolean disabled = tls != null && tls.auto()
                    && namespaceMode(policies, namespaceOf.apply(b)) == InboundTlsIr.Mode.DISABLE;
            return disabled ? b.withPolicy(b.policy().withTls(null)) : b;
        }).toList();
    }

    /** The mode of the namespace policy of {@code namespace}, else the mesh policy's, else PERMISSIVE. */
    private static InboundTlsIr.Mode namespaceMode(List<PeerAuthentication> policies, String namespace) {
        InboundTlsIr.Mode mode = InboundTlsIr.Mode.PERMISSIVE;
        for (String ns : List.of(SidecarSelector.ROOT_NAMESPACE, namespace)) {
            PeerAuthentication level = policies.stream().filter(pa -> pa.metadata().namespace().equals(ns)
                    && (pa.selector() == null || pa.selector().matchLabels().isEmpty())).findFirst().orElse(null);
            if (level != null) {
                mode = resolve(level.mode(), mode);
            }
        }
        return mode;
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
