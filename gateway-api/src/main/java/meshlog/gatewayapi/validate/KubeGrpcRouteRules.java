package meshlog.gatewayapi.validate;

import java.util.Set;
import java.util.regex.Pattern;
import meshlog.gatewayapi.model.KubeGrpcRoute;
import meshlog.gatewayapi.model.KubeGrpcRoute.MethodMatch;
import meshlog.gatewayapi.model.KubeGrpcRoute.MethodMatchType;
import meshlog.gatewayapi.model.KubeGrpcRoute.Rule;

/** GRPCRoute rules: the CRD's markers and CEL rules of {@code grpcroute_types.go} (standard channel). */
final class KubeGrpcRouteRules {

    static final int MAX_MATCHES_PER_RULE = 8;
    private static final Set<String> REPEATABLE = Set.of("RequestMirror", "ExtensionRef");
    private static final Pattern SERVICE = Pattern.compile("(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*");
    private static final Pattern METHOD = Pattern.compile("[A-Za-z_][A-Za-z_0-9]*");

    private KubeGrpcRouteRules() {
    }

    static void check(KubeGrpcRoute route, Findings f) {
        KubeRouteRules shared = new KubeRouteRules("GR", f);
        shared.parentRefs(route.parentRefs());
        shared.hostnames(route.hostnames());
        shared.ruleShape(route.rules().stream().map(Rule::name).toList(),
                route.rules().stream().map(r -> r.matches().size()).toList(), MAX_MATCHES_PER_RULE);
        for (int i = 0; i < route.rules().size(); i++) {
            Rule rule = route.rules().get(i);
            String path = "spec.rules[" + i + "]";
            for (int j = 0; j < rule.matches().size(); j++) {
                var m = rule.matches().get(j);
                String at = path + ".matches[" + j + "]";
                if (m.method() != null) {
                    method(m.method(), at + ".method", f);
                }
                shared.valueMatches(m.headers(), at + ".headers", 4096, true);
            }
            shared.filters(rule.filters(), path + ".filters", REPEATABLE);
            shared.backendRefs(rule.backendRefs(), path + ".backendRefs");
            for (int j = 0; j < rule.backendRefs().size(); j++) {
                shared.filters(rule.backendRefs().get(j).filters(), path + ".backendRefs[" + j + "].filters",
                        REPEATABLE);
            }
            if (rule.backendRefs().isEmpty()) {
                shared.noBackends(path, "fail with gRPC status UNAVAILABLE");
            }
        }
    }

    private static void method(MethodMatch m, String path, Findings f) {
        if (m.service() == null && m.method() == null) {
            f.error("GR0200", path, "one or both of service and method must be set");
            return;
        }
        boolean exact = m.type() == MethodMatchType.Exact;
        check(m.service(), exact, SERVICE, "service", "a dotted protobuf service name like helloworld.Greeter",
                path + ".service", f);
        check(m.method(), exact, METHOD, "method", "a protobuf method name like SayHello", path + ".method", f);
    }

    private static void check(String value, boolean exact, Pattern pattern, String what, String shape, String path,
                              Findings f) {
        if (value == null) {
            return;
        }
        if (value.length() > 1024) {
            f.error("GR0204", path, what + " is longer than 1024 characters");
        } else if (exact && !pattern.matcher(value).matches()) {
            f.error(what.equals("service") ? "GR0201" : "GR0202", path, "invalid " + what + " \"" + value
                    + "\" for an Exact match: " + shape + " (no '/')");
        } else if (!exact) {
            f.errorIf("GR0144", path, KubeValueChecks.regex(value));
        }
    }
}
