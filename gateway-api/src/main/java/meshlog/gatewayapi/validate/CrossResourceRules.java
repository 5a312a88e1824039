package meshlog.gatewayapi.validate;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.Hosts;
import meshlog.gatewayapi.model.DestinationRule;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.RouteDestination;
import meshlog.gatewayapi.parse.ParsedResource;

/** Checks that need the whole repository, like {@code istioctl analyze}: references between objects. */
final class CrossResourceRules {

    private CrossResourceRules() {
    }

    static void check(List<ParsedResource> resources, List<Diagnostic> out) {
        Map<String, Set<String>> subsetsByHost = subsetsByHost(resources);
        for (ParsedResource p : resources) {
            if (p.resource() instanceof VirtualService vs) {
                Findings f = new Findings(p, out);
                for (int i = 0; i < vs.http().size(); i++) {
                    List<RouteDestination> route = vs.http().get(i).route();
                    for (int j = 0; j < route.size(); j++) {
                        checkSubset(vs, route.get(j), "spec.http[" + i + "].route[" + j + "].destination", f,
                                subsetsByHost);
                    }
                }
            }
        }
    }

    private static void checkSubset(VirtualService vs, RouteDestination rd, String path, Findings f,
                                    Map<String, Set<String>> subsetsByHost) {
        var d = rd.destination();
        if (d == null || d.host().isEmpty() || d.subset().isEmpty()) {
            return;
        }
        String host = Hosts.fqdn(d.host(), vs.metadata().namespace());
        if (!subsetsByHost.getOrDefault(host, Set.of()).contains(d.subset())) {
            f.error("VS0105", path + ".subset", "subset \"" + d.subset()
                    + "\" is not defined by any DestinationRule for host " + host + "; traffic would go nowhere");
        }
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
