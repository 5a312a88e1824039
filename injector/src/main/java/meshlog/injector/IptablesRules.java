package meshlog.injector;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The nat-table rules istio-init writes, as {@code iptables-restore --noflush} input: outbound TCP of everyone but
 * the proxy's uid/gid {@link MeshPorts#PROXY_UID} redirected to {@link MeshPorts#OUTBOUND}, inbound TCP to
 * {@link MeshPorts#INBOUND}, with the capture's inclusions and exclusions. Chain names and rule order as
 * {@code istio-iptables}' (so {@code iptables-save} in an injected pod reads as in an Istio one), without HBONE's
 * 15008 (meshlog has no ambient mode).
 */
public final class IptablesRules {

    private IptablesRules() {
    }

    public static String render(TrafficCapture c) {
        List<String> r = new ArrayList<>(List.of("*nat", "-N ISTIO_INBOUND", "-N ISTIO_REDIRECT",
                "-N ISTIO_IN_REDIRECT", "-N ISTIO_OUTPUT",
                "-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports " + MeshPorts.OUTBOUND,
                "-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports " + MeshPorts.INBOUND));
        boolean inbound = !c.includeInboundPorts().isEmpty();
        if (inbound) {
            r.add("-A PREROUTING -p tcp -j ISTIO_INBOUND");
            inbound(c, r);
        }
        r.add("-A OUTPUT -p tcp -j ISTIO_OUTPUT");
        for (int port : c.excludeOutboundPorts()) {
            r.add("-A ISTIO_OUTPUT -p tcp --dport " + port + " -j RETURN");
        }
        // Envoy's own inbound passthrough (source 127.0.0.6) must reach the app, not come back to Envoy.
        r.add("-A ISTIO_OUTPUT -o lo -s 127.0.0.6/32 -j RETURN");
        for (String owner : List.of("--uid-owner", "--gid-owner")) {
            if (inbound) {
                // The proxy calling its own pod's IP: the app's inbound side, so through 15006.
                r.add("-A ISTIO_OUTPUT -o lo ! -d 127.0.0.1/32 -m owner " + owner + " " + MeshPorts.PROXY_UID
                        + " -j ISTIO_IN_REDIRECT");
            }
            r.add("-A ISTIO_OUTPUT -o lo -m owner ! " + owner + " " + MeshPorts.PROXY_UID + " -j RETURN");
            r.add("-A ISTIO_OUTPUT -m owner " + owner + " " + MeshPorts.PROXY_UID + " -j RETURN");
        }
        r.add("-A ISTIO_OUTPUT -d 127.0.0.1/32 -j RETURN");
        for (String range : c.excludeOutboundIpRanges()) {
            r.add("-A ISTIO_OUTPUT -d " + range + " -j RETURN");
        }
        if (c.includeOutboundIpRanges().equals(List.of("*"))) {
            r.add("-A ISTIO_OUTPUT -j ISTIO_REDIRECT");
        } else {
            for (String range : c.includeOutboundIpRanges()) {
                r.add("-A ISTIO_OUTPUT -d " + range + " -j ISTIO_REDIRECT");
            }
        }
        r.add("COMMIT");
        return String.join("\n", r) + "\n";
    }

    private static void inbound(TrafficCapture c, List<String> r) {
        Set<Integer> excluded = new LinkedHashSet<>(MeshPorts.ALWAYS_EXCLUDED_INBOUND);
        excluded.addAll(c.excludeInboundPorts());
        if (c.includeInboundPorts().equals(List.of("*"))) {
            for (int port : excluded) {
                r.add("-A ISTIO_INBOUND -p tcp --dport " + port + " -j RETURN");
            }
            r.add("-A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT");
            return;
        }
        for (String port : c.includeInboundPorts()) {
            if (!excluded.contains(Integer.valueOf(port))) {
                r.add("-A ISTIO_INBOUND -p tcp --dport " + port + " -j ISTIO_IN_REDIRECT");
            }
        }
    }
}
