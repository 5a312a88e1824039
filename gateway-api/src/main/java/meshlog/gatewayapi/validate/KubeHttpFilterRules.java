package meshlog.gatewayapi.validate;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import meshlog.gatewayapi.model.KubeRouteFilter;

/** The rules of HTTPRoute's own filters: RequestRedirect and CORS. */
final class KubeHttpFilterRules {

    private static final Set<Integer> REDIRECT_CODES = Set.of(301, 302, 303, 307, 308);
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH", "*");
    /** {@code *}, or {@code scheme://host[:port]} where the host may hold {@code *} wildcards. */
    private static final Pattern ORIGIN =
            Pattern.compile("\\*|[a-zA-Z][a-zA-Z0-9+\\-.]+://[^:/?#]+(:[0-9]{1,5})?");

    private KubeHttpFilterRules() {
    }

    static void redirect(KubeRouteFilter.RequestRedirect r, String path, Findings f) {
        if (r.scheme() != null && !r.scheme().equals("http") && !r.scheme().equals("https")) {
            f.error("HR0217", path + ".scheme", "must be http or https, got \"" + r.scheme() + "\"");
        }
        if (r.hostname() != null) {
            f.errorIf("HR0214", path + ".hostname", KubeValueChecks.preciseHostname(r.hostname()));
        }
        if (r.port() != null) {
            f.errorIf("HR0215", path + ".port", Checks.port(r.port()));
        }
        if (!REDIRECT_CODES.contains(r.statusCode())) {
            f.error("HR0216", path + ".statusCode", "must be one of 301, 302, 303, 307, 308, got " + r.statusCode());
        }
    }

    static void cors(KubeRouteFilter.Cors c, String path, Findings f) {
        List<String> origins = c.allowOrigins();
        wildcardAlone(origins, path + ".allowOrigins", "HR0220", f);
        for (int i = 0; i < origins.size(); i++) {
            String o = origins.get(i);
            if (!ORIGIN.matcher(o).matches() || o.length() > 253) {
                f.error("HR0220", path + ".allowOrigins[" + i + "]", "invalid origin \"" + o
                        + "\": \"*\" or <scheme>://<host>[:<port>]");
            }
        }
        wildcardAlone(c.allowMethods(), path + ".allowMethods", "HR0221", f);
        for (int i = 0; i < c.allowMethods().size(); i++) {
            if (!METHODS.contains(c.allowMethods().get(i))) {
                f.error("HR0221", path + ".allowMethods[" + i + "]", "unknown method \"" + c.allowMethods().get(i)
                        + "\"; allowed: GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH or *");
            }
        }
        headerNames(c.allowHeaders(), path + ".allowHeaders", f);
        headerNames(c.exposeHeaders(), path + ".exposeHeaders", f);
        if (c.maxAge() < 1) {
            f.error("HR0223", path + ".maxAge", "must be at least 1 (seconds), got " + c.maxAge());
        }
    }

    private static void headerNames(List<String> names, String path, Findings f) {
        if (names.size() > 64) {
            f.error("HR0222", path, "at most 64 entries, got " + names.size());
        }
        if (path.endsWith("allowHeaders")) {
            wildcardAlone(names, path, "HR0222", f);
        }
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (!n.equals("*")) {
                f.errorIf("HR0222", path + "[" + i + "]", KubeValueChecks.headerName(n));
            }
        }
    }

    private static void wildcardAlone(List<String> values, String path, String code, Findings f) {
        if (values.contains("*") && values.size() > 1) {
            f.error(code, path, "\"*\" cannot be combined with other entries");
        }
        if (values.size() != values.stream().distinct().count()) {
            f.error(code, path, "entries must be unique");
        }
    }
}
