package meshlog.gatewayapi.validate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.ExportTo;
import meshlog.gatewayapi.Hosts;
import meshlog.gatewayapi.ResourceKey;
import meshlog.gatewayapi.delegation.Delegation;
import meshlog.gatewayapi.model.DestinationRule;
import meshlog.gatewayapi.model.Gateway;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.RouteDestination;
import meshlog.gatewayapi.parse.ParsedResource;

/**
 * Checks that need the whole repository, like {@code istioctl analyze}: references between objects. A reference that
 * would send traffic nowhere is an error; one that may be satisfied by a cluster's service registry is a warning.
 */
final class CrossResourceRules {

    private CrossResourceRules() {
    }

    static void check(List<ParsedResource> resources, List<Diagnostic> out) {
        Map<String, Set<String>> subsetsByHost = subsetsByHost(resources);
        HostIndex hosts = HostIndex.of(resources);
        Set<ResourceKey> gateways = new HashSet<>();
        resources.stream().filter(p -> p.resource() instanceof Gateway).forEach(p -> gateways.add(p.resource().key()));
        Map<String, List<ParsedResource>> hostClaims = new HashMap<>();
        KubeCrossRules kube = new KubeCrossRules(resources, hosts);
        Map<ResourceKey, VirtualService> virtualServices = new HashMap<>();
        resources.stream().filter(p -> p.resource() instanceof VirtualService)
                .forEach(p -> virtualServices.putIfAbsent(p.resource().key(), (VirtualService) p.resource()));
        for (ParsedResource p : resources) {
            Findings f = new Findings(p, out);
            kube.check(p.resource(), f);
            if (p.resource() instanceof VirtualService vs) {
                checkDestinations(vs, f, subsetsByHost, hosts);
                checkGateways(vs, f, gateways);
                checkHostClaims(vs, f, hostClaims);
                checkDelegation(vs, f, virtualServices);
            } else if (p.resource() instanceof DestinationRule dr && !dr.host().isEmpty()
                    && !hosts.defines(Hosts.fqdn(dr.host(), dr.metadata().namespace()))) {
                f.warning("XR0004", "spec.host", "no ServiceEntry or Service in the repository defines host "
                        + Hosts.fqdn(dr.host(), dr.metadata().namespace())
                        + "; fine if it is a Kubernetes Service, otherwise this rule applies to nothing");
            }
        }
    }

    /** Every place a VirtualService sends traffic: http, tls and tcp routes, and mirrors. */
    private static void checkDestinations(VirtualService vs, Findings f, Map<String, Set<String>> subsetsByHost,
                                          HostIndex hosts) {
        for (int i = 0; i < vs.http().size(); i++) {
            var http = vs.http().get(i);
            String base = "spec.http[" + i + "]";
            checkRoute(vs, http.route(), base, f, subsetsByHost, hosts);
            if (http.mirror() != null) {
                checkDestination(vs, http.mirror(), base + ".mirror", f, subsetsByHost, hosts);
            }
            for (int j = 0; j < http.mirrors().size(); j++) {
                checkDestination(vs, http.mirrors().get(j).destination(), base + ".mirrors[" + j + "].destination",
                        f, subsetsByHost, hosts);
            }
        }
        for (int i = 0; i < vs.tls().size(); i++) {
            checkRoute(vs, vs.tls().get(i).route(), "spec.tls[" + i + "]", f, subsetsByHost, hosts);
        }
        for (int i = 0; i < vs.tcp().size(); i++) {
            checkRoute(vs, vs.tcp().get(i).route(), "spec.tcp[" + i + "]", f, subsetsByHost, hosts);
        }
    }

    private static void checkRoute(VirtualService vs, List<RouteDestination> route, String base, Findings f,
                                   Map<String, Set<String>> subsetsByHost, HostIndex hosts) {
        for (int j = 0; j < route.size(); j++) {
            checkDestination(vs, route.get(j).destination(), base + ".route[" + j + "].destination", f,
                    subsetsByHost, hosts);
        }
    }

    private static void checkDestination(VirtualService vs, VirtualService.Destination d, String path, Findings f,
                                         Map<String, Set<String>> subsetsByHost, HostIndex hosts) {
        if (d == null || d.host().isEmpty() || d.host().contains("*")) {
            return;
        }
        String host = Hosts.fqdn(d.host(), vs.metadata().namespace());
        if (!hosts.defines(host)) {
            f.warning("XR0001", path + ".host", "no ServiceEntry or Service in the repository defines host " + host
                    + "; fine if it is a Kubernetes Service in every cluster, otherwise requests fail with 503");
        }
        if (!d.subset().isEmpty() && !subsetsByHost.getOrDefault(host, Set.of()).contains(d.subset())) {
            f.error("VS0105", path + ".subset", "subset \"" + d.subset()
                    + "\" is not defined by any DestinationRule for host " + host + "; traffic would go nowhere");
        }
    }

    private static void checkGateways(VirtualService vs, Findings f, Set<ResourceKey> gateways) {
        for (int i = 0; i < vs.gateways().size(); i++) {
            String ref = vs.gateways().get(i);
            ResourceKey key = gatewayKey(ref, vs.metadata().namespace());
            // A malformed reference is VS0113 already; only well-formed ones are looked up.
            if (key != null && ServiceChecks.isDnsLabel(key.namespace()) && ServiceChecks.isDnsLabel(key.name())
                    && !gateways.contains(key)) {
                f.error("XR0003", "spec.gateways[" + i + "]", "Gateway " + key.namespace() + "/" + key.name()
                        + " is not defined in the repository; the routes for it would never be served");
            }
        }
    }

    /**
     * One host may be claimed by one VirtualService per gateway: with two, which routes win depends on merge order,
     * which is how a change in one team's file silently breaks another's. For the mesh, two claims clash only when
     * some namespace's sidecars see both ({@link ExportTo#overlap}, with Istio's default {@code *}): two teams may
     * each route a host for their own namespace ({@code exportTo: ["."]}), as Istio's analyzer allows.
     */
    private static void checkHostClaims(VirtualService vs, Findings f, Map<String, List<ParsedResource>> claims) {
        List<String> gateways = vs.gateways().isEmpty() ? List.of(VirtualService.MESH_GATEWAY) : vs.gateways();
        for (int i = 0; i < vs.hosts().size(); i++) {
            String host = Hosts.fqdn(vs.hosts().get(i), vs.metadata().namespace());
            for (String gw : gateways) {
                ResourceKey key = gatewayKey(gw, vs.metadata().namespace());
                String gateway = key == null ? VirtualService.MESH_GATEWAY : key.namespace() + "/" + key.name();
                List<ParsedResource> earlier = claims.computeIfAbsent(gateway + " " + host, k -> new ArrayList<>());
                ParsedResource first = earlier.stream().filter(p -> p != f.resource()
                        && (!gateway.equals(VirtualService.MESH_GATEWAY) || overlap(p, vs))).findFirst().orElse(null);
                if (!earlier.contains(f.resource())) {
                    earlier.add(f.resource());
                }
                if (first != null) {
                    f.error("XR0002", "spec.hosts[" + i + "]", "host " + host + " on gateway " + gateway
                            + " is also claimed by " + first.resource().key() + " (" + first.file() + ":"
                            + first.line() + "); merge them into one VirtualService");
                }
            }
        }
    }

    private static boolean overlap(ParsedResource earlier, VirtualService vs) {
        VirtualService other = (VirtualService) earlier.resource();
        List<String> defaults = ExportTo.Defaults.ISTIO.virtualService();
        return ExportTo.overlap(other.exportTo(), defaults, other.metadata().namespace(), vs.exportTo(), defaults,
                vs.metadata().namespace());
    }

    /**
     * What of a root's delegation would not be served ({@link Delegation}, the rule the reconciler applies). Istio
     * accepts all of it and leaves the route out (istiod logs it), so these are warnings: the rest of the
     * VirtualService is served.
     */
    private static void checkDelegation(VirtualService vs, Findings f, Map<ResourceKey, VirtualService> all) {
        if (vs.hosts().isEmpty() || vs.http().stream().allMatch(h -> h.delegate() == null)) {
            return;
        }
        for (Delegation.Problem p : Delegation.resolve(vs, all).problems()) {
            String code = switch (p.reason()) {
                case NOT_FOUND, NOT_A_DELEGATE -> "XR0008";
                case NOT_EXPORTED -> "XR0009";
                case MATCH_CONFLICT -> "XR0010";
            };
            f.warning(code, p.path(), p.message());
        }
    }

    /** {@link VirtualService#gatewayKey}. */
    static ResourceKey gatewayKey(String ref, String namespace) {
        return VirtualService.gatewayKey(ref, namespace);
    }

    private static Map<String, Set<String>> subsetsByHost(List<ParsedResource> resources) {
        Map<String, Set<String>> out = new HashMap<>();
        for (ParsedResource p : resources) {
            if (p.resource() instanceof DestinationRule dr) {
                Set<String> names = out.computeIfAbsent(Hosts.fqdn(dr.host(), dr.metadata().namespace()),
                        h -> new HashSet<>());
                dr.subsets().forEach(s -> names.add(s.name()));
            }
        }
        return out;
    }
}
