package meshlog.gatewayapi.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.model.KubeHttpRoute;
import meshlog.gatewayapi.model.KubeHttpRoute.Match;
import meshlog.gatewayapi.model.KubeHttpRoute.PathMatch;
import meshlog.gatewayapi.model.KubeHttpRoute.PathType;
import meshlog.gatewayapi.model.KubeHttpRoute.Retry;
import meshlog.gatewayapi.model.KubeHttpRoute.Rule;
import meshlog.gatewayapi.model.KubeHttpRoute.Timeouts;
import meshlog.gatewayapi.model.KubeRouteFilter;
import meshlog.gatewayapi.model.KubeRouteFilter.PathModifier;
import meshlog.gatewayapi.model.KubeRouteFilter.PathModifierType;
import meshlog.gatewayapi.model.ObjectMeta;

/** Reads {@code HTTPRoute.spec} (Gateway API v1, standard channel). */
final class KubeHttpRouteReader {

    /** A duration that is not in the GEP-2257 format. */
    static final String BAD_DURATION = "HR0230";

    /** Filter configuration field to filter type, in the order the API lists them. */
    private static final Map<String, String> FILTERS = new LinkedHashMap<>();

    static {
        FILTERS.put("requestHeaderModifier", "RequestHeaderModifier");
        FILTERS.put("responseHeaderModifier", "ResponseHeaderModifier");
        FILTERS.put("requestMirror", "RequestMirror");
        FILTERS.put("requestRedirect", "RequestRedirect");
        FILTERS.put("urlRewrite", "URLRewrite");
        FILTERS.put("cors", "CORS");
        FILTERS.put("extensionRef", "ExtensionRef");
    }

    /** The methods an HTTPRoute may match (upper case, as the CRD's enum). */
    enum Method { GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH }

    private KubeHttpRouteReader() {
    }

    static KubeHttpRoute read(ObjectMeta meta, Fields spec) {
        var s = KubeRouteReading.spec(spec, KubeHttpRouteReader::rule);
        return new KubeHttpRoute(meta, s.parentRefs(), s.hostnames(), s.rules());
    }

    private static Rule rule(Fields f) {
        var shared = KubeRouteReading.rule(f, KubeHttpRouteReader::match, KubeHttpRouteReader::filter);
        Timeouts timeouts = null;
        Fields t = f.object("timeouts");
        if (t != null) {
            timeouts = new Timeouts(GepDurations.read(t, "request", BAD_DURATION),
                    GepDurations.read(t, "backendRequest", BAD_DURATION));
            t.end();
        }
        Retry retry = null;
        Fields r = f.object("retry");
        if (r != null) {
            retry = new Retry(integers(r, "codes"), r.integer("attempts", null),
                    GepDurations.read(r, "backoff", BAD_DURATION));
            r.end();
        }
        return new Rule(shared.name(), shared.matches(), shared.filters(), shared.backendRefs(), timeouts, retry);
    }

    private static List<Integer> integers(Fields f, String key) {
        List<Integer> out = new ArrayList<>();
        var items = f.list(key);
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof SourceNode.ScalarNode s && s.kind() == SourceNode.ScalarKind.INTEGER) {
                try {
                    out.add(Integer.valueOf(s.text()));
                    continue;
                } catch (NumberFormatException e) {
                    // falls through to the type error
                }
            }
            f.error(Fields.WRONG_TYPE, key, "expected HTTP status codes (integers), got " + items.get(i).typeName()
                    + " at index " + i);
        }
        return out;
    }

    private static Match match(Fields f) {
        PathMatch path = null;
        Fields p = f.object("path");
        if (p != null) {
            path = new PathMatch(EnumField.read(p, "type", PathType.class, null), p.string("value"));
            p.end();
        }
        var headers = f.objects("headers", (h, i) -> KubeRouteReading.valueMatch(h));
        var queryParams = f.objects("queryParams", (q, i) -> KubeRouteReading.valueMatch(q));
        Method method = EnumField.read(f, "method", Method.class, null);
        return new Match(path, headers, queryParams, method == null ? null : method.name());
    }

    private static KubeRouteFilter filter(Fields f) {
        f.notImplemented("externalAuth");
        return KubeRouteReading.filter(f, "HR", FILTERS, KubeHttpRouteReader::config);
    }

    private static KubeRouteFilter config(Fields parent, String key) {
        switch (key) {
            case "requestRedirect", "urlRewrite", "cors" -> {
                Fields f = parent.object(key);
                KubeRouteFilter out = key.equals("requestRedirect") ? redirect(f)
                        : key.equals("urlRewrite") ? new KubeRouteFilter.UrlRewrite(f.string("hostname"),
                        pathModifier(f)) : cors(f);
                f.end();
                return out;
            }
            default -> {
                return KubeRouteReading.commonFilter(parent, key);
            }
        }
    }

    private static KubeRouteFilter redirect(Fields f) {
        return new KubeRouteFilter.RequestRedirect(f.string("scheme"), f.string("hostname"), pathModifier(f),
                f.integer("port", null), f.integer("statusCode", 302));
    }

    private static KubeRouteFilter cors(Fields f) {
        return new KubeRouteFilter.Cors(f.strings("allowOrigins"), f.bool("allowCredentials"),
                f.strings("allowMethods"), f.strings("allowHeaders"), f.strings("exposeHeaders"),
                f.integer("maxAge", 5));
    }

    private static PathModifier pathModifier(Fields parent) {
        Fields f = parent.object("path");
        if (f == null) {
            return null;
        }
        PathModifier out = new PathModifier(EnumField.read(f, "type", PathModifierType.class, null),
                f.string("replaceFullPath"), f.string("replacePrefixMatch"));
        f.end();
        return out;
    }
}
