package meshlog.gatewayapi.parse;

import java.util.LinkedHashMap;
import java.util.Map;
import meshlog.gatewayapi.model.KubeGrpcRoute;
import meshlog.gatewayapi.model.KubeGrpcRoute.Match;
import meshlog.gatewayapi.model.KubeGrpcRoute.MethodMatch;
import meshlog.gatewayapi.model.KubeGrpcRoute.MethodMatchType;
import meshlog.gatewayapi.model.KubeGrpcRoute.Rule;
import meshlog.gatewayapi.model.KubeRouteFilter;
import meshlog.gatewayapi.model.ObjectMeta;

/** Reads {@code GRPCRoute.spec} (Gateway API v1, standard channel). */
final class KubeGrpcRouteReader {

    /** Filter configuration field to filter type: GRPCRoute has no redirect, rewrite or CORS filter. */
    private static final Map<String, String> FILTERS = new LinkedHashMap<>();

    static {
        FILTERS.put("requestHeaderModifier", "RequestHeaderModifier");
        FILTERS.put("responseHeaderModifier", "ResponseHeaderModifier");
        FILTERS.put("requestMirror", "RequestMirror");
        FILTERS.put("extensionRef", "ExtensionRef");
    }

    private KubeGrpcRouteReader() {
    }

    static KubeGrpcRoute read(ObjectMeta meta, Fields spec) {
        spec.notImplemented("useDefaultGateways");
        var parentRefs = KubeRouteReading.parentRefs(spec);
        var hostnames = spec.strings("hostnames");
        var rules = spec.objects("rules", (f, i) -> rule(f));
        return new KubeGrpcRoute(meta, parentRefs, hostnames, rules);
    }

    private static Rule rule(Fields f) {
        f.notImplemented("sessionPersistence");
        String name = f.string("name");
        var matches = f.objects("matches", (m, i) -> match(m));
        var filters = f.objects("filters", (x, i) -> filter(x));
        var backendRefs = f.objects("backendRefs", (b, i) -> KubeRouteReading.backendRef(b, (x, j) -> filter(x)));
        return new Rule(name, matches, filters, backendRefs);
    }

    private static Match match(Fields f) {
        MethodMatch method = null;
        Fields m = f.object("method");
        if (m != null) {
            method = new MethodMatch(EnumField.read(m, "type", MethodMatchType.class, null), m.string("service"),
                    m.string("method"));
            m.end();
        }
        return new Match(method, f.objects("headers", (h, i) -> KubeRouteReading.valueMatch(h)));
    }

    private static KubeRouteFilter filter(Fields f) {
        return KubeRouteReading.filter(f, "GR", FILTERS, KubeRouteReading::commonFilter);
    }
}
