package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.gatewayapi.ExportTo;
import meshlog.gatewayapi.Hosts;
import meshlog.gatewayapi.model.DestinationRule;

/**
 * Which DestinationRule a proxy of one namespace uses for a service host, in Istio's lookup order
 * ({@code PushContext.destinationRule}), each candidate judged by {@link ExportTo}:
 *
 * <ol>
 *   <li>a rule of the proxy's own namespace visible to it (for a proxy of the root namespace, {@code istio-system},
 *       only a rule of the root namespace exported to it alone, so the catch-all rules kept there do not shadow the
 *       service's own);</li>
 *   <li>else a rule of the service's namespace exported to the proxy's namespace;</li>
 *   <li>else a rule of the root namespace exported to it;</li>
 *   <li>else none.</li>
 * </ol>
 *
 * <p>A rule in any other namespace is not seen. Several candidates of one namespace: the first by name (Istio merges
 * them, oldest first; meshlog has no creation times). Hosts compare after {@link Hosts#fqdn}; wildcard hosts match
 * nothing yet, as in {@link DestinationRuleTranslator}.
 */
final class DestinationRuleLookup {

    private final Map<String, List<DestinationRule>> byHost = new TreeMap<>();
    private final List<String> defaults;

    /**
     * @param rules sorted by namespace/name
     * @param defaults the mesh's default {@code exportTo} for DestinationRules
     */
    DestinationRuleLookup(List<DestinationRule> rules, List<String> defaults) {
        for (DestinationRule r : rules) {
            byHost.computeIfAbsent(Hosts.fqdn(r.host(), r.metadata().namespace()), h -> new ArrayList<>()).add(r);
        }
        this.defaults = List.copyOf(defaults);
    }

    /** The rule a proxy of {@code proxyNamespace} uses for {@code host}, declared in {@code serviceNamespace}. */
    DestinationRule find(String proxyNamespace, String host, String serviceNamespace) {
        List<DestinationRule> candidates = byHost.getOrDefault(host, List.of());
        if (candidates.isEmpty()) {
            return null;
        }
        String root = SidecarSelector.ROOT_NAMESPACE;
        DestinationRule own = first(candidates, proxyNamespace, proxyNamespace, proxyNamespace.equals(root));
        if (own != null) {
            return own;
        }
        DestinationRule service = first(candidates, serviceNamespace, proxyNamespace, false);
        return service != null ? service : first(candidates, root, proxyNamespace, false);
    }

    private DestinationRule first(List<DestinationRule> candidates, String namespace, String proxyNamespace,
                                  boolean privateOnly) {
        for (DestinationRule r : candidates) {
            String ns = r.metadata().namespace();
            if (ns.equals(namespace) && ExportTo.visible(r.exportTo(), defaults, ns, proxyNamespace)
                    && (!privateOnly || ExportTo.ownNamespaceOnly(r.exportTo(), defaults, ns))) {
                return r;
            }
        }
        return null;
    }
}
