package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.List;
import meshlog.gatewayapi.ExportTo;
import meshlog.gatewayapi.Hosts;
import meshlog.gatewayapi.kube.ListenerHostnames;
import meshlog.gatewayapi.model.Gateway;
import meshlog.gatewayapi.model.VirtualService;

/**
 * Which VirtualServices a Gateway server serves, and for which hosts, as Istio binds them:
 *
 * <ul>
 *   <li>a VirtualService binds to a Gateway named in its {@code gateways}: {@code <namespace>/<name>}, or a bare
 *       {@code <name>} in the VirtualService's own namespace;</li>
 *   <li>it must be visible in the Gateway's namespace ({@code exportTo}: empty or {@code *} for every namespace,
 *       {@code .} for its own, or the namespace by name);</li>
 *   <li>a server host {@code <ns>/<host>} takes only VirtualServices of namespace {@code ns} ({@code *}: any,
 *       {@code .}: the Gateway's; no {@code ns/}: any);</li>
 *   <li>the hosts served are the intersection of the VirtualService's hosts (short names resolved in its namespace)
 *       and the server's: equal hosts, or the more specific of two when one's wildcard covers the other.</li>
 * </ul>
 */
final class GatewayBinding {

    private GatewayBinding() {
    }

    /** {@code <namespace>/<name>} of a Gateway, as VirtualServices name it. */
    static String ref(Gateway gw) {
        return gw.metadata().namespace() + "/" + gw.metadata().name();
    }

    /** Whether {@code vs} names {@code gw} in {@code spec.gateways} and is exported to its namespace. */
    static boolean binds(VirtualService vs, Gateway gw) {
        return names(vs.gateways(), vs.metadata().namespace(), gw) && visible(vs, gw.metadata().namespace());
    }

    /**
     * Whether a list of gateway references written in {@code namespace} names {@code gw} (read as validation reads
     * them, {@link VirtualService#gatewayKey}: the legacy {@code name.ns} form included).
     */
    static boolean names(List<String> gateways, String namespace, Gateway gw) {
        return gateways.stream().anyMatch(g -> gw.key().equals(VirtualService.gatewayKey(g, namespace)));
    }

    private static boolean visible(VirtualService vs, String namespace) {
        return ExportTo.visible(vs.exportTo(), ExportTo.Defaults.ISTIO.virtualService(), vs.metadata().namespace(),
                namespace);
    }

    /** The hosts of {@code vs} that {@code server} of {@code gw} serves, in the VirtualService's order, distinct. */
    static List<String> hosts(VirtualService vs, Gateway.Server server, Gateway gw) {
        return hosts(vs.hosts(), vs.metadata().namespace(), server, gw);
    }

    /** Like {@link #hosts(VirtualService, Gateway.Server, Gateway)} for any hosts written in {@code vsNamespace}. */
    static List<String> hosts(List<String> hosts, String vsNamespace, Gateway.Server server, Gateway gw) {
        List<String> out = new ArrayList<>();
        for (String written : server.hosts()) {
            int slash = written.indexOf('/');
            String ns = slash < 0 ? "*" : written.substring(0, slash);
            String serverHost = slash < 0 ? written : written.substring(slash + 1);
            if (ns.equals(".")) {
                ns = gw.metadata().namespace();
            }
            if (!ns.equals("*") && !ns.equals(vsNamespace)) {
                continue;
            }
            for (String h : hosts) {
                String host = intersect(h.contains("*") ? h : Hosts.fqdn(h, vsNamespace), serverHost);
                if (host != null && !out.contains(host)) {
                    out.add(host);
                }
            }
        }
        return out;
    }

    /** The hosts both names take: the more specific one when one covers the other, else null. */
    static String intersect(String a, String b) {
        if (covers(a, b)) {
            return b;
        }
        return covers(b, a) ? a : null;
    }

    /** Whether wildcard (or exact) {@code pattern} takes every name {@code host} takes. */
    static boolean covers(String pattern, String host) {
        return pattern.equals("*") || ListenerHostnames.covers(pattern, host);
    }
}
