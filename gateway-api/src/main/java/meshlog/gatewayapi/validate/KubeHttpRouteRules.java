package meshlog.gatewayapi.validate;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import meshlog.gatewayapi.model.KubeHttpRoute;
import meshlog.gatewayapi.model.KubeHttpRoute.Match;
import meshlog.gatewayapi.model.KubeHttpRoute.PathMatch;
import meshlog.gatewayapi.model.KubeHttpRoute.PathType;
import meshlog.gatewayapi.model.KubeHttpRoute.Rule;
import meshlog.gatewayapi.model.KubeRouteFilter;
import meshlog.gatewayapi.model.KubeRouteFilter.PathModifier;
import meshlog.gatewayapi.model.KubeRouteFilter.PathModifierType;

/**
 * HTTPRoute rules: the CRD's markers and CEL rules of {@code httproute_types.go} (standard channel) and the checks
 * of its webhook ({@code apis/v1/validation/httproute.go}). The Kubernetes API server refuses all of these, so all
 * are errors; the warnings name valid config that does nothing useful.
 */
final class KubeHttpRouteRules {

    static final int MAX_MATCHES_PER_RULE = 64;
    private static final Set<String> REPEATABLE = Set.of("RequestMirror", "ExtensionRef");
    private static final Pattern PATH_CHARS = Pattern.compile("(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+");
    private static final List<String> BAD_SEQUENCES = List.of("//", "/./", "/../", "%2f", "%2F", "#");

    private KubeHttpRouteRules() {
    }

    static void check(KubeHttpRoute route, Findings f) {
        KubeRouteRules shared = new KubeRouteRules("HR", f);
        shared.parentRefs(route.parentRefs());
        shared.hostnames(route.hostnames());
        shared.ruleShape(route.rules().stream().map(Rule::name).toList(),
                route.rules().stream().map(r -> r.matches().size()).toList(), MAX_MATCHES_PER_RULE);
        for (int i = 0; i < route.rules().size(); i++) {
            rule(route.rules().get(i), "spec.rules[" + i + "]", shared, f);
        }
    }

    private static void rule(Rule rule, String path, KubeRouteRules shared, Findings f) {
        for (int j = 0; j < rule.matches().size(); j++) {
            match(rule.matches().get(j), path + ".matches[" + j + "]", shared, f);
        }
        filters(rule.filters(), rule, path + ".filters", shared, f);
        shared.backendRefs(rule.backendRefs(), path + ".backendRefs");
        for (int j = 0; j < rule.backendRefs().size(); j++) {
            filters(rule.backendRefs().get(j).filters(), rule, path + ".backendRefs[" + j + "].filters", shared, f);
        }
        boolean redirects = rule.filters().stream().anyMatch(x -> x instanceof KubeRouteFilter.RequestRedirect);
        if (redirects && !rule.backendRefs().isEmpty()) {
            f.error("HR0211", path + ".backendRefs", "a rule with a RequestRedirect filter must not have"
                    + " backendRefs: the redirect answers the request");
        }
        if (rule.backendRefs().isEmpty() && !redirects) {
            shared.noBackends(path, "get HTTP 500 (add backendRefs or a RequestRedirect filter)");
        }
        if (rule.timeouts() != null) {
            var t = rule.timeouts();
            if (t.request() != null && t.backendRequest() != null && !t.request().isZero()
                    && t.backendRequest().compareTo(t.request()) > 0) {
                f.error("HR0231", path + ".timeouts.backendRequest", "backendRequest timeout cannot be longer"
                        + " than the request timeout");
            }
        }
        if (rule.retry() != null) {
            retry(rule.retry(), path + ".retry", f);
        }
    }

    private static void match(Match m, String path, KubeRouteRules shared, Findings f) {
        path(m.path(), path + ".path", f);
        shared.valueMatches(m.headers(), path + ".headers", 4096, true);
        shared.valueMatches(m.queryParams(), path + ".queryParams", 1024, false);
    }

    private static void path(PathMatch p, String path, Findings f) {
        String v = p.value();
        String at = path + ".value";
        if (v.length() > 1024) {
            f.error("HR0203", at, "at most 1024 characters, got " + v.length());
        }
        if (p.type() == PathType.RegularExpression) {
            f.errorIf("HR0144", at, KubeValueChecks.regex(v));
            return;
        }
        if (!v.startsWith("/")) {
            f.error("HR0200", at, "must be an absolute path starting with '/' for type " + p.type() + ", got \"" + v
                    + "\"");
        }
        for (String bad : BAD_SEQUENCES) {
            if (v.contains(bad)) {
                f.error("HR0201", at, "must not contain '" + bad + "', got \"" + v + "\"");
            }
        }
        if (v.endsWith("/..") || v.endsWith("/.")) {
            f.error("HR0201", at, "must not end with '/.' or '/..', got \"" + v + "\"");
        }
        if (!PATH_CHARS.matcher(v).matches()) {
            f.error("HR0202", at, "contains characters a path may not (allowed: letters, digits, -._~!$&'()*+,;=:@/"
                    + " and %XX escapes), got \"" + v + "\"");
        }
    }

    private static void filters(List<KubeRouteFilter> filters, Rule rule, String path, KubeRouteRules shared,
                                Findings f) {
        shared.filters(filters, path, REPEATABLE);
        boolean redirect = false;
        boolean rewrite = false;
        for (int i = 0; i < filters.size(); i++) {
            KubeRouteFilter x = filters.get(i);
            String at = path + "[" + i + "]";
            if (x instanceof KubeRouteFilter.RequestRedirect r) {
                redirect = true;
                KubeHttpFilterRules.redirect(r, at + ".requestRedirect", f);
                pathModifier(r.path(), rule, at + ".requestRedirect.path", f);
            } else if (x instanceof KubeRouteFilter.UrlRewrite r) {
                rewrite = true;
                if (r.hostname() != null) {
                    f.errorIf("HR0214", at + ".urlRewrite.hostname", KubeValueChecks.preciseHostname(r.hostname()));
                }
                pathModifier(r.path(), rule, at + ".urlRewrite.path", f);
            } else if (x instanceof KubeRouteFilter.Cors c) {
                KubeHttpFilterRules.cors(c, at + ".cors", f);
            }
        }
        if (redirect && rewrite) {
            f.error("HR0210", path, "RequestRedirect and URLRewrite cannot be used together in one filter list");
        }
    }

    private static void pathModifier(PathModifier m, Rule rule, String path, Findings f) {
        if (m == null || m.type() == null) {
            if (m != null) {
                f.error("HR0213", path + ".type", "type is required: ReplaceFullPath or ReplacePrefixMatch");
            }
            return;
        }
        boolean full = m.type() == PathModifierType.ReplaceFullPath;
        if (full ? m.replaceFullPath() == null : m.replacePrefixMatch() == null) {
            f.error("HR0213", path, (full ? "replaceFullPath" : "replacePrefixMatch") + " is required when type is "
                    + m.type());
        }
        if (full ? m.replacePrefixMatch() != null : m.replaceFullPath() != null) {
            f.error("HR0213", path, (full ? "replacePrefixMatch" : "replaceFullPath") + " must not be set when type"
                    + " is " + m.type());
        }
        String value = full ? m.replaceFullPath() : m.replacePrefixMatch();
        if (value != null && value.length() > 1024) {
            f.error("HR0213", path, "the replacement path is longer than 1024 characters");
        }
        if (!full && m.replacePrefixMatch() != null && (rule.matches().size() != 1
                || rule.matches().get(0).path().type() != PathType.PathPrefix)) {
            f.error("HR0212", path + ".replacePrefixMatch", "ReplacePrefixMatch needs the rule to have exactly one"
                    + " match, with a PathPrefix path");
        }
    }

    private static void retry(KubeHttpRoute.Retry r, String path, Findings f) {
        for (int i = 0; i < r.codes().size(); i++) {
            int code = r.codes().get(i);
            if (code < 400 || code > 599) {
                f.error("HR0240", path + ".codes[" + i + "]", "must be an HTTP status between 400 and 599, got "
                        + code);
            }
        }
        if (r.attempts() != null && r.attempts() < 0) {
            f.error("HR0240", path + ".attempts", "must be >= 0 (0 disables retries), got " + r.attempts());
        }
    }
}
