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
        var s = KubeRouteReading.spec(spec, KubeGrpcRouteReader::rule);
        return new KubeGrpcRoute(meta, s.parentRefs(), s.hostnames(), s.rules());
    }

    private static Rule rule(Fields f) {
        var shared = KubeRouteReading.rule(f, KubeGrpcRouteReader::match, KubeGrpcRouteReader::filter);
        return new Rule(shared.name(), shared.matches(), shared.filters(), shared.backendRefs());
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
