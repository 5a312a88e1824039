package meshlog.reconciler.simulate;

import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Envoy's HTTP routing within one route configuration: the virtual host by domain (exact, then the longest
 * {@code *suffix}, then the longest {@code prefix*}, then {@code *}; the whole Host header, port included, as
 * Envoy compares it unless told to strip the port), then the first route whose match holds.
 */
final class RouteSelector {

    private RouteSelector() {
    }

    /** The virtual host of {@code authority}, or null. */
    static VirtualHost virtualHost(RouteConfiguration rc, String authority) {
        String host = authority == null ? "" : authority.toLowerCase(Locale.ROOT);
        VirtualHost suffix = null;
        VirtualHost prefix = null;
        VirtualHost any = null;
        int suffixLen = -1;
        int prefixLen = -1;
        for (VirtualHost vh : rc.getVirtualHostsList()) {
            for (String d : vh.getDomainsList()) {
                String domain = d.toLowerCase(Locale.ROOT);
                if (domain.equals("*")) {
                    any = any == null ? vh : any;
                } else if (domain.startsWith("*")) {
                    String s = domain.substring(1);
                    // a wildcard stands for at least one character
                    if (host.length() > s.length() && host.endsWith(s) && s.length() > suffixLen) {
                        suffix = vh;
                        suffixLen = s.length();
                    }
                } else if (domain.endsWith("*")) {
                    String p = domain.substring(0, domain.length() - 1);
                    if (host.length() > p.length() && host.startsWith(p) && p.length() > prefixLen) {
                        prefix = vh;
                        prefixLen = p.length();
                    }
                } else if (domain.equals(host)) {
                    return vh;
                }
            }
        }
        return suffix != null ? suffix : prefix != null ? prefix : any;
    }

    /** The index of the first route of {@code vh} that matches, or -1. */
    static int route(VirtualHost vh, SimRequest req) {
        for (int i = 0; i < vh.getRoutesCount(); i++) {
            if (matches(vh.getRoutes(i).getMatch(), req)) {
                return i;
            }
        }
        return -1;
    }

    static boolean matches(RouteMatch m, SimRequest req) {
        return path(m, req.pathOnly())
                && m.getHeadersList().stream().allMatch(h -> header(h, req.header(h.getName())))
                && m.getQueryParametersList().stream().allMatch(q -> query(q, queryOf(req.path())));
    }

    private static boolean path(RouteMatch m, String path) {
        boolean sensitive = !m.hasCaseSensitive() || m.getCaseSensitive().getValue();
        return switch (m.getPathSpecifierCase()) {
            case PREFIX -> path.regionMatches(!sensitive, 0, m.getPrefix(), 0, m.getPrefix().length());
            case PATH -> sensitive ? path.equals(m.getPath()) : path.equalsIgnoreCase(m.getPath());
            // case_sensitive does not apply to a regex (Envoy's docs for RouteMatch.case_sensitive)
            case SAFE_REGEX -> Pattern.compile(m.getSafeRegex().getRegex()).matcher(path).matches();
            case PATH_SEPARATED_PREFIX -> path.equals(m.getPathSeparatedPrefix())
                    || path.startsWith(m.getPathSeparatedPrefix() + "/")
                    || path.startsWith(m.getPathSeparatedPrefix() + "?");
            default -> false; // connect matchers and path templates: meshlog emits none
        };
    }

    /**
     * Envoy's header matcher: an absent header is the empty value when {@code treat_missing_header_as_empty} says
     * so; otherwise it satisfies only a presence test that asks for absence (an inverted {@code present_match:
     * true}, or {@code present_match: false}), never a string matcher, inverted or not.
     */
    private static boolean header(HeaderMatcher h, String value) {
        boolean presence = h.getHeaderMatchSpecifierCase() == HeaderMatcher.HeaderMatchSpecifierCase.PRESENT_MATCH;
        if (value == null && h.getTreatMissingHeaderAsEmpty()) {
            value = "";
        }
        if (value == null) {
            return presence && h.getPresentMatch() == h.getInvertMatch();
        }
        boolean hit;
        if (presence) {
            hit = h.getPresentMatch();
        } else if (h.hasStringMatch()) {
            hit = string(h.getStringMatch(), value);
        } else if (h.getHeaderMatchSpecifierCase() == HeaderMatcher.HeaderMatchSpecifierCase.HEADERMATCHSPECIFIER_NOT_SET) {
            hit = true; // a name alone: the header is present
        } else {
            return false; // deprecated specifiers: meshlog emits none
        }
        return hit != h.getInvertMatch();
    }

    private static boolean query(QueryParameterMatcher q, Map<String, String> params) {
        String value = params.get(q.getName());
        if (q.hasPresentMatch()) {
            return (value != null) == q.getPresentMatch();
        }
        return value != null && (!q.hasStringMatch() || string(q.getStringMatch(), value));
    }

    static boolean string(StringMatcher m, String value) {
        boolean ic = m.getIgnoreCase();
        String v = ic ? value.toLowerCase(Locale.ROOT) : value;
        return switch (m.getMatchPatternCase()) {
            case EXACT -> v.equals(ic ? m.getExact().toLowerCase(Locale.ROOT) : m.getExact());
            case PREFIX -> v.startsWith(ic ? m.getPrefix().toLowerCase(Locale.ROOT) : m.getPrefix());
            case SUFFIX -> v.endsWith(ic ? m.getSuffix().toLowerCase(Locale.ROOT) : m.getSuffix());
            case CONTAINS -> v.contains(ic ? m.getContains().toLowerCase(Locale.ROOT) : m.getContains());
            case SAFE_REGEX -> Pattern.compile(m.getSafeRegex().getRegex()).matcher(value).matches();
            default -> false;
        };
    }

    /** The query parameters of a path; the first value of a repeated name, as Envoy's matcher takes it. */
    private static Map<String, String> queryOf(String path) {
        Map<String, String> out = new LinkedHashMap<>();
        int q = path.indexOf('?');
        if (q < 0) {
            return out;
        }
        for (String pair : path.substring(q + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }
}
