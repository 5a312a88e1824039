package meshlog.gatewayapi.validate;

import static meshlog.gatewayapi.validate.ConfigValidator.at;

import java.util.List;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.Diagnostic.Severity;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.RouteDestination;
import meshlog.gatewayapi.parse.ParsedResource;

/** VirtualService rules (Istio's ValidateVirtualService, the HTTP routing part)  */
final class VirtualServiceRules {

    private VirtualServiceRules() {
    }

    static void check(ParsedResource p, VirtualService vs, List<Diagnostic> out) {
        if (vs.hosts().isEmpty()) {
            out.add(at(p, "VS0100", Severity.ERROR, "spec.hosts",
                    "at least one host is required (delegate VirtualServices are not supported yet)"));
        }
        for (int i = 0; i < vs.http().size(); i++) {
            List<RouteDestination> route = vs.http().get(i).route();
            String base = "spec.http[" + i + "]";
            if (route.isEmpty()) {
                out.add(at(p, "VS0102", Severity.ERROR, base + ".route",
                        "at least one route destination is required"));
            }
            long sum = 0;
            for (int j = 0; j < route.size(); j++) {
                RouteDestination rd = route.get(j);
                String path = base + ".route[" + j + "]";
                if (rd.weight() != null && rd.weight() < 0) {
                    out.add(at(p, "VS0101", Severity.ERROR, path + ".weight", "must be >= 0, got " + rd.weight()));
                }
                sum += rd.weight() == null ? 0 : Math.max(0, rd.weight());
                checkDestination(p, rd, path + ".destination", out);
            }
            if (route.size() > 1 && sum == 0) {
                out.add(at(p, "VS0104", Severity.ERROR, base + ".route",
                        "with more than one destination the weights must not all be 0"));
            }
        }
    }

    private static void checkDestination(ParsedResource p, RouteDestination rd, String path,
                                         List<Diagnostic> out) {
        var d = rd.destination();
        if (d == null) {
            out.add(at(p, "VS0103", Severity.ERROR, path, "destination is required"));
            return;
        }
        if (d.host().isEmpty()) {
            out.add(at(p, "VS0103", Severity.ERROR, path + ".host", "destination host is required"));
            return;
        }
        if (d.port() < 0 || d.port() > 65535) {
            out.add(at(p, "VS0106", Severity.ERROR, path + ".port.number", "must be 1..65535, got " + d.port()));
        }
    }
}
