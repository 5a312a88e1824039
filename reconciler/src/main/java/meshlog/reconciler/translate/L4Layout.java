package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import meshlog.reconciler.ir.L4ChainIr;
import meshlog.reconciler.ir.ListenerIr;
import meshlog.reconciler.ir.PassthroughClusterIr;
import meshlog.reconciler.ir.TcpListenerIr;
import meshlog.reconciler.ir.TranslationNote;

/**
 * Where an Envoy sidecar's TCP and TLS service ports listen, as Istio names its outbound listeners:
 * with capture {@code <vip>_<port>} for a service with a VIP (its first IP in {@code addresses}), else
 * {@code 0.0.0.0_<port>}; without capture every listener binds {@code 127.0.0.1_<port>}, VIP or not, as Istio binds
 * a sidecar's egress listeners to localhost in interception mode NONE.
 *
 * <ul>
 *   <li>TLS services sharing a listener share it: their chains are told apart by SNI.</li>
 *   <li>Any other sharing (two TCP services on one port without VIPs, a TCP and a TLS service) cannot be told
 *       apart: the first service by host and port keeps the listener, the others are noted.</li>
 *   <li>An HTTP listener of the same name wins (noted).</li>
 *   <li>With capture, a connection no chain takes goes to {@code PassthroughCluster} (outbound policy ALLOW_ANY),
 *       as Istio's listeners fall through; without capture it is closed (its original destination is the listener
 *       itself).</li>
 *   <li>Two chains of one listener with the same match (Envoy would refuse the listener): the first is kept, the
 *       other noted when it goes elsewhere.</li>
 * </ul>
 */
final class L4Layout {

    private L4Layout() {
    }

    /** @param services the TCP and TLS services with their chains, sorted by host and port */
    static List<ListenerIr> listeners(List<ServiceRoutes> services, Set<String> httpListeners, String address,
                                      boolean bind, List<TranslationNote> notes) {
        Map<String, List<ServiceRoutes>> byName = new LinkedHashMap<>();
        Map<String, String> addressOf = new LinkedHashMap<>();
        for (ServiceRoutes r : services) {
            String at = r.service().vip().isEmpty() || bind ? address : r.service().vip();
            String name = at + "_" + r.service().port();
            if (httpListeners.contains(name)) {
                notes.add(new TranslationNote(r.service().origin(), r.service().name() + ": listener " + name
                        + " serves HTTP services; HTTP wins, no TCP listener for it"));
                continue;
            }
            List<ServiceRoutes> group = byName.get(name);
            if (group == null) {
                byName.put(name, new ArrayList<>(List.of(r)));
                addressOf.put(name, at);
            } else if (L4RouteTranslator.isTls(group.get(0).service()) && L4RouteTranslator.isTls(r.service())) {
                group.add(r);
            } else {
                notes.add(new TranslationNote(r.service().origin(), r.service().name() + ": listener " + name
                        + " already proxies to " + group.get(0).service().host() + " (without a VIP or SNI they "
                        + "cannot be told apart); no listener for it"));
            }
        }
        List<ListenerIr> out = new ArrayList<>();
        String fallback = bind ? null : PassthroughClusterIr.OUTBOUND.name();
        byName.forEach((name, group) -> out.add(new TcpListenerIr(name, addressOf.get(name),
                group.get(0).service().port(), bind, chains(name, group, notes), fallback)));
        return out;
    }

    private static List<L4ChainIr> chains(String listener, List<ServiceRoutes> group, List<TranslationNote> notes) {
        Map<List<List<String>>, L4ChainIr> byMatch = new LinkedHashMap<>();
        for (ServiceRoutes r : group) {
            for (L4ChainIr chain : r.chains()) {
                L4ChainIr first = byMatch.putIfAbsent(chain.matchKey(), chain);
                if (first != null && !first.backends().equals(chain.backends())) {
                    notes.add(new TranslationNote(r.service().origin(), r.service().name() + ": listener " + listener
                            + " already has a filter chain for " + describe(chain) + " (to "
                            + first.backends().get(0).backend() + "); this one is left out"));
                }
            }
        }
        return List.copyOf(byMatch.values());
    }

    private static String describe(L4ChainIr c) {
        List<String> parts = new ArrayList<>();
        if (!c.serverNames().isEmpty()) {
            parts.add("SNI " + c.serverNames());
        }
        if (!c.destinationPrefixes().isEmpty()) {
            parts.add("destination " + c.destinationPrefixes());
        }
        if (!c.sourcePrefixes().isEmpty()) {
            parts.add("source " + c.sourcePrefixes());
        }
        return parts.isEmpty() ? "every connection" : String.join(", ", parts);
    }
}
