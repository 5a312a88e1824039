package meshlog.gatewayapi.validate;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.Destination;
import meshlog.gatewayapi.model.VirtualService.HeaderOperations;
import meshlog.gatewayapi.model.VirtualService.Headers;
import meshlog.gatewayapi.model.VirtualService.RouteDestination;
import meshlog.gatewayapi.parse.ParsedResource;

/**
 * VirtualService rules, as Istio's {@code ValidateVirtualService}: the top level here (hosts, gateways, exportTo)
 * and the checks every route shares (destinations, weights, header changes); HTTP routes in {@link HttpRouteRules},
 * {@link HttpMatchRules} and {@link HttpPolicyRules}, TLS and TCP routes in {@link L4RouteRules}, unreachable rules
 * in {@link UnreachableRules}. Fields the reconciler does not apply yet are reported by {@link AppliedFields}.
 */
final class VirtualServiceRules {


    private VirtualServiceRules() {
    }

    static void check(ParsedResource p, VirtualService vs, List<Diagnostic> out) {
        Findings f = new Findings(p, out);
        hostsAndGateways(vs, f);
        if (vs.http().isEmpty() && vs.tcp().isEmpty() && vs.tls().isEmpty()) {
            f.error("VS0107", "spec", "at least one of http, tcp or tls routes is required");
        }
        // Istio's isGateway: bound to gateways only, "mesh" not among them.
        boolean toGateway = !vs.appliesToMesh();
        for (int i = 0; i < vs.http().size(); i++) {
            HttpRouteRules.check(vs, i, toGateway, f);
        }
        L4RouteRules.check(vs, f);
        UnreachableRules.check(vs, f);
        Object[] export = Checks.exportTo(vs.exportTo(), vs.metadata().namespace(), false);
        if (export != null) {
            f.error("VS0117", "spec.exportTo[" + export[0] + "]", (String) export[1]);
        }
    }

    private static void hostsAndGateways(VirtualService vs, Findings f) {
        if (vs.hosts().isEmpty()) {
            delegateOnly(vs, f);
        }
        gatewayNames(vs.gateways(), "spec.gateways", f);
        boolean toMesh = vs.appliesToMesh();
        boolean allValid = true;
        // Istio: bound to gateways with SNI matches, a host may be an east-west SNI name (outbound_.port_._.host)
        boolean sni = !toMesh && vs.tls().stream().anyMatch(t -> t.match().stream()
                .anyMatch(m -> !m.sniHosts().isEmpty()));
        for (int i = 0; i < vs.hosts().size(); i++) {
            String host = vs.hosts().get(i);
            // Istio's ValidateWildcardDomain, whose refusal of an IP address does not count for a host
            String problem = Checks.isIp(host) ? null
                    : sni ? ServiceChecks.sniDomain(host) : ServiceChecks.wildcardDomain(host);
            if (problem != null) {
                f.error("VS0110", "spec.hosts[" + i + "]", problem);
                allValid = false;
            } else if (toMesh && host.equals("*")) {
                f.error("VS0109", "spec.hosts[" + i + "]", "the host * is not allowed for a VirtualService bound "
                        + "to the mesh (no gateways, or \"mesh\" among them)");
                allValid = false;
            }
        }
        for (int i = 0; allValid && i < vs.hosts().size(); i++) {
            for (int j = i + 1; j < vs.hosts().size(); j++) {
                if (Hostnames.overlap(vs.hosts().get(i), vs.hosts().get(j))) {
                    f.error("VS0111", "spec.hosts[" + j + "]", "\"" + vs.hosts().get(j) + "\" overlaps \""
                            + vs.hosts().get(i) + "\" (spec.hosts[" + i + "]); list each host once");
                }
            }
        }
    }

    /** Istio: a VirtualService without hosts is a delegate, which may only hold HTTP routes for mesh clients. */
    private static void delegateOnly(VirtualService vs, Findings f) {
        String why = " must not be set on a delegate VirtualService (one without hosts)";
        if (!vs.gateways().isEmpty()) {
            f.error("VS0108", "spec.gateways", "gateways" + why);
        }
        if (!vs.tls().isEmpty()) {
            f.error("VS0108", "spec.tls", "tls routes" + why);
        }
        if (!vs.tcp().isEmpty()) {
            f.error("VS0108", "spec.tcp", "tcp routes" + why);
        }
    }

    /** Istio's {@code validateGatewayNames}: {@code ns/name}, or a bare name; {@code name.ns} is a legacy form. */
    static void gatewayNames(List<String> names, String path, Findings f) {
        for (int i = 0; i < names.size(); i++) {
            String g = names.get(i);
            String at = path + "[" + i + "]";
            int slash = g.indexOf('/');
            if (slash < 0) {
                if (g.contains(".")) {
                    String[] parts = g.split("\\.", -1);
                    f.warning("VS0114", at, "\"" + g + "\" uses the legacy name.namespace form; prefer \""
                            + parts[1] + "/" + parts[0] + "\"");
                }
                if (ServiceChecks.fqdn(g) != null) {
                    f.error("VS0113", at, "\"" + g + "\" is not a gateway name (namespace/name, or a name)");
                }
            } else if (!ServiceChecks.isDnsLabel(g.substring(0, slash))
                    || !ServiceChecks.isDnsLabel(g.substring(slash + 1))) {
                f.error("VS0113", at, "\"" + g + "\": the namespace and the name of a gateway must both be "
                        + "DNS-1123 labels");
            }
        }
    }

    /** Istio's {@code validateRouteDestinations}: destinations and weights of an HTTP, TLS or TCP route. */
    static void destinations(List<RouteDestination> route, String path, Findings f) {
        long sum = 0;
        for (int j = 0; j < route.size(); j++) {
            RouteDestination rd = route.get(j);
            String at = path + "[" + j + "]";
            if (rd.weight() != null && rd.weight() < 0) {
                f.error("VS0101", at + ".weight", "must be >= 0, got " + rd.weight());
            }
            sum += rd.weight() == null ? 0 : Math.max(0, rd.weight());
            destination(rd.destination(), at + ".destination", f);
            if (rd.headers() != null) {
                headers(rd.headers(), at + ".headers", f);
            }
        }
        if (route.size() > 1 && sum == 0) {
            f.error("VS0104", path, "with more than one destination the weights must not all be 0");
        }
    }

    /** Istio's {@code validateDestination}. */
    static void destination(Destination d, String path, Findings f) {
        if (d == null) {
            f.error("VS0103", path, "destination is required");
            return;
        }
        if (d.host().isEmpty()) {
            f.error("VS0103", path + ".host", "destination host is required");
        } else if (d.host().equals("*")) {
            f.error("VS0115", path + ".host", "the destination host must name a service, not *");
        } else {
            f.errorIf("VS0115", path + ".host", ServiceChecks.wildcardDomain(d.host()));
        }
        if (!d.subset().isEmpty() && !ServiceChecks.isDnsLabel(d.subset())) {
            f.error("VS0116", path + ".subset", "subset name \"" + d.subset() + "\" is not a DNS-1123 label");
        }
        // Istio's validatePortSelector: a port selector, once written, needs a number in 1..65535 (0 is "unset").
        if (d.port() != 0 || f.written(path + ".port")) {
            f.errorIf("VS0106", path + ".port.number", Checks.port(d.port()));
        }
    }

    /** Istio's header-operation checks: names that may be changed, values Envoy can format. */
    static void headers(Headers h, String path, Findings f) {
        if (h.request() != null) {
            operations(h.request(), path + ".request", true, f);
        }
        if (h.response() != null) {
            operations(h.response(), path + ".response", false, f);
        }
    }

    private static void operations(HeaderOperations ops, String path, boolean request, Findings f) {
        for (var kind : List.of(Map.entry("set", ops.set()), Map.entry("add", ops.add()))) {
            new TreeMap<>(kind.getValue()).forEach((name, value) -> {
                String at = path + "." + kind.getKey() + "." + name;
                f.errorIf("VS0304", at, request ? HttpChecks.requestHeaderToSet(name)
                        : HttpChecks.headerToChange(name));
                f.errorIf("VS0305", at, HttpChecks.headerValue(value));
            });
        }
        for (int i = 0; i < ops.remove().size(); i++) {
            f.errorIf("VS0304", path + ".remove[" + i + "]", HttpChecks.headerToChange(ops.remove().get(i)));
        }
    }
}
