package meshlog.gatewayapi.validate;

import static meshlog.gatewayapi.validate.ConfigValidator.at;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.Diagnostic.Severity;
import meshlog.gatewayapi.model.ServiceEntry;
import meshlog.gatewayapi.parse.ParsedResource;

/** ServiceEntry rules (Istio's ValidateServiceEntry, the part meshlog serves so far). */
final class ServiceEntryRules {

    static final Set<String> PROTOCOLS = Set.of("HTTP", "HTTPS", "GRPC", "GRPC-WEB", "HTTP2", "MONGO", "TCP", "TLS",
            "UDP", "REDIS", "MYSQL");

    private ServiceEntryRules() {
    }

    static void check(ParsedResource p, ServiceEntry se, List<Diagnostic> out) {
        if (se.hosts().isEmpty()) {
            out.add(at(p, "SE0001", Severity.ERROR, "spec.hosts", "at least one host is required"));
        }
        for (int i = 0; i < se.hosts().size(); i++) {
            if (se.hosts().get(i).equals("*")) {
                out.add(at(p, "SE0002", Severity.ERROR, "spec.hosts[" + i + "]", "\"*\" is not allowed"));
            }
        }
        Set<Integer> numbers = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < se.ports().size(); i++) {
            ServiceEntry.Port port = se.ports().get(i);
            String path = "spec.ports[" + i + "]";
            if (port.number() < 1 || port.number() > 65535) {
                out.add(at(p, "SE0003", Severity.ERROR, path + ".number", "must be 1..65535, got " + port.number()));
            } else if (!numbers.add(port.number())) {
                out.add(at(p, "SE0004", Severity.ERROR, path + ".number", "port " + port.number() + " is repeated"));
            }
            if (!port.name().isEmpty() && !names.add(port.name())) {
                out.add(at(p, "SE0004", Severity.ERROR, path + ".name", "port name " + port.name() + " is repeated"));
            }
            if (!PROTOCOLS.contains(port.protocol())) {
                out.add(at(p, "SE0005", Severity.ERROR, path + ".protocol", "unknown protocol \"" + port.protocol()
                        + "\"; allowed: " + String.join(", ", PROTOCOLS.stream().sorted().toList())));
            }
        }
        for (int i = 0; i < se.endpoints().size(); i++) {
            var ep = se.endpoints().get(i);
            String path = "spec.endpoints[" + i + "]";
            if (ep.address().isEmpty()) {
                out.add(at(p, "SE0006", Severity.ERROR, path + ".address", "an endpoint needs an address"));
            }
            for (var e : ep.ports().entrySet()) {
                if (e.getValue() < 1 || e.getValue() > 65535) {
                    out.add(at(p, "SE0003", Severity.ERROR, path + ".ports." + e.getKey(),
                            "must be 1..65535, got " + e.getValue()));
                }
            }
        }
        if (se.resolution() == ServiceEntry.Resolution.STATIC && se.endpoints().isEmpty()) {
            out.add(at(p, "SE0007", Severity.WARNING, "spec.endpoints",
                    "resolution STATIC with no endpoints: the service has nowhere to send traffic"));
        }
    }
}
