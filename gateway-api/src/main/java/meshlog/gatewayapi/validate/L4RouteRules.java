package meshlog.gatewayapi.validate;

import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.L4Match;
import meshlog.gatewayapi.model.VirtualService.TlsMatch;

/**
 * The TLS and TCP routes of a VirtualService: Istio's {@code validateTLSRoute} and {@code validateTCPRoute}. Envoy
 * sidecars apply both (proxyless gRPC clients make no TCP or TLS connections through xDS, as in Istio).
 */
final class L4RouteRules {

    private L4RouteRules() {
    }

    static void check(VirtualService vs, Findings f) {
        for (int i = 0; i < vs.tls().size(); i++) {
            var route = vs.tls().get(i);
            String base = "spec.tls[" + i + "]";
            if (route.match().isEmpty()) {
                f.error("VS0400", base + ".match", "a TLS route needs at least one match (with sniHosts)");
            }
            for (int j = 0; j < route.match().size(); j++) {
                tlsMatch(route.match().get(j), vs, base + ".match[" + j + "]", f);
            }
            routes(route.route(), base, "TLS", f);
        }
        for (int i = 0; i < vs.tcp().size(); i++) {
            var route = vs.tcp().get(i);
            String base = "spec.tcp[" + i + "]";
            for (int j = 0; j < route.match().size(); j++) {
                L4Match m = route.match().get(j);
                String at = base + ".match[" + j + "]";
                subnets(m.destinationSubnets(), at + ".destinationSubnets", f);
                if (!m.sourceSubnet().isEmpty()) {
                    f.errorIf("VS0405", at + ".sourceSubnet", Checks.ipOrCidr(m.sourceSubnet()));
                }
                source(m.port(), m.sourceLabels(), m.gateways(), m.sourceNamespace(), at, f);
            }
            routes(route.route(), base, "TCP", f);
        }
    }

    private static void routes(List<VirtualService.RouteDestination> route, String base, String kind, Findings f) {
        if (route.isEmpty()) {
            f.error("VS0407", base + ".route", "a " + kind + " route needs at least one destination");
        }
        VirtualServiceRules.destinations(route, base + ".route", f);
    }

    private static void tlsMatch(TlsMatch m, VirtualService vs, String path, Findings f) {
        if (m.sniHosts().isEmpty()) {
            f.error("VS0401", path + ".sniHosts", "a TLS match needs at least one SNI host");
        }
        // Istio's isGateway: "mesh" is not among the gateways (an empty list counts as a gateway here)
        boolean gateway = !vs.gateways().contains(VirtualService.MESH_GATEWAY);
        for (int k = 0; k < m.sniHosts().size(); k++) {
            sniHost(m.sniHosts().get(k), vs.hosts(), gateway, path + ".sniHosts[" + k + "]", f);
        }
        subnets(m.destinationSubnets(), path + ".destinationSubnets", f);
        source(m.port(), m.sourceLabels(), m.gateways(), m.sourceNamespace(), path, f);
    }

    /** Istio's {@code validateSniHost}: a host name within the VirtualService's hosts; an IP only warns. */
    private static void sniHost(String sni, List<String> hosts, boolean gateway, String path, Findings f) {
        if (Checks.isIp(sni)) {
            f.warning("VS0403", path, "an IP address (" + sni + ") as SNI goes against the SNI spec; most clients "
                    + "do not send it");
            return;
        }
        String problem = gateway ? ServiceChecks.sniDomain(sni) : ServiceChecks.wildcardDomain(sni);
        if (problem != null) {
            f.error("VS0402", path, problem);
        } else if (hosts.stream().noneMatch(h -> Hostnames.subsetOf(sni, h))) {
            f.error("VS0404", path, "SNI host \"" + sni + "\" is not within any host of this VirtualService "
                    + hosts);
        }
    }

    private static void subnets(List<String> subnets, String path, Findings f) {
        for (int k = 0; k < subnets.size(); k++) {
            f.errorIf("VS0405", path + "[" + k + "]", Checks.ipOrCidr(subnets.get(k)));
        }
    }

    /** The conditions TLS and TCP matches share with HTTP matches. */
    private static void source(int port, Map<String, String> labels, List<String> gateways, String namespace,
                               String path, Findings f) {
        if (port != 0) {
            f.errorIf("VS0406", path + ".port", Checks.port(port));
        }
        f.errorIf("VS0206", path + ".sourceLabels", Checks.labels(labels));
        VirtualServiceRules.gatewayNames(gateways, path + ".gateways", f);
        if (!namespace.isEmpty() && !ServiceChecks.isDnsLabel(namespace)) {
            f.error("VS0207", path + ".sourceNamespace", "\"" + namespace + "\" is not a namespace name");
        }
    }
}
