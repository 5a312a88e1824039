package meshlog.gatewayapi.validate;

import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.model.StringMatch;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.HttpMatch;
import meshlog.gatewayapi.model.VirtualService.HttpRoute;
import meshlog.gatewayapi.model.VirtualService.L4Match;

/**
 * Routes and matches that can never be used because an earlier one takes every request they would (Istio's
 * {@code analyzeUnreachableHTTPRules}, TCP and TLS): a route after one that matches everything, and a match that an
 * earlier match covers (the same conditions, or looser ones such as a shorter path prefix). Warnings: the config
 * is valid, but part of it is dead.
 */
final class UnreachableRules {

    static final String UNREACHABLE = "VS0500";
    static final String INEFFECTIVE = "VS0501";
    /** A TCP match without conditions. */
    private static final L4Match ANY_CONNECTION = new L4Match(List.of(), 0, "", Map.of(), List.of(), "");

    private UnreachableRules() {
    }

    static void check(VirtualService vs, Findings f) {
        http(vs.http(), f);
        l4(vs.tls().stream().map(r -> r.match().stream().map(m -> (Object) m).toList()).toList(), "spec.tls", f);
        l4(vs.tcp().stream().map(r -> r.match().stream().map(m -> m.equals(ANY_CONNECTION) ? null : (Object) m)
                .toList()).toList(), "spec.tcp", f);
    }

    private static void http(List<HttpRoute> routes, Findings f) {
        int catchAll = -1;
        for (int i = 0; i < routes.size(); i++) {
            List<HttpMatch> matches = routes.get(i).match();
            String base = "spec.http[" + i + "]";
            if (catchAll >= 0) {
                f.warning(UNREACHABLE, base, "never used: spec.http[" + catchAll + "] before it matches every "
                        + "request");
                continue;
            }
            int covered = 0;
            String[] by = new String[matches.size()];
            for (int j = 0; j < matches.size(); j++) {
                by[j] = coveredBy(routes, i, matches.get(j));
                covered += by[j] == null ? 0 : 1;
            }
            if (!matches.isEmpty() && covered == matches.size()) {
                f.warning(UNREACHABLE, base, "never used: every match is already taken by an earlier route ("
                        + by[0] + (matches.size() > 1 ? ", ..." : "") + ")");
            } else {
                for (int j = 0; j < matches.size(); j++) {
                    if (by[j] != null) {
                        f.warning(INEFFECTIVE, base + ".match[" + j + "]", "never used: " + by[j]
                                + " before it already takes every request this match would");
                    }
                }
            }
            if (matches.isEmpty() || matches.stream().anyMatch(UnreachableRules::matchesEverything)) {
                catchAll = i;
            }
        }
    }

    /** The earlier match (as a path) that covers {@code m}, or null. */
    private static String coveredBy(List<HttpRoute> routes, int before, HttpMatch m) {
        for (int i = 0; i < before; i++) {
            List<HttpMatch> earlier = routes.get(i).match();
            for (int j = 0; j < earlier.size(); j++) {
                if (covers(earlier.get(j), m)) {
                    return "spec.http[" + i + "].match[" + j + "]";
                }
            }
        }
        return null;
    }

    /**
     * TLS and TCP routes: after a route without matches (or with a match without conditions, given as null) nothing
     * is reached; an equal earlier match wins, and a route whose every match is repeated from earlier routes is
     * never used, as for HTTP routes.
     */
    private static void l4(List<List<Object>> routes, String path, Findings f) {
        int catchAll = -1;
        for (int i = 0; i < routes.size(); i++) {
            String base = path + "[" + i + "]";
            if (catchAll >= 0) {
                f.warning(UNREACHABLE, base, "never used: " + path + "[" + catchAll + "] before it has no match, "
                        + "so it takes every connection");
                continue;
            }
            List<Object> matches = routes.get(i);
            int[] by = new int[matches.size()];
            int repeated = 0;
            for (int j = 0; j < matches.size(); j++) {
                by[j] = earlierRouteWith(routes, i, matches.get(j));
                repeated += by[j] >= 0 ? 1 : 0;
            }
            if (!matches.isEmpty() && repeated == matches.size()) {
                f.warning(UNREACHABLE, base, "never used: every match repeats one of an earlier route (" + path + "["
                        + by[0] + "]" + (matches.size() > 1 ? ", ..." : "") + ")");
            } else {
                for (int j = 0; j < matches.size(); j++) {
                    if (by[j] >= 0) {
                        f.warning(INEFFECTIVE, base + ".match[" + j + "]", "never used: the same match is in "
                                + path + "[" + by[j] + "]");
                    }
                }
            }
            if (matches.isEmpty() || matches.contains(null)) {
                catchAll = i;
            }
        }
    }

    /** The first route before {@code before} that has {@code match}, or -1. */
    private static int earlierRouteWith(List<List<Object>> routes, int before, Object match) {
        for (int k = 0; k < before; k++) {
            if (routes.get(k).contains(match)) {
                return k;
            }
        }
        return -1;
    }

    /** Whether {@code m} has no condition that could fail. */
    static boolean matchesEverything(HttpMatch m) {
        return (m.uri() == null || anyValue(m.uri())) && m.scheme() == null && m.method() == null
                && m.authority() == null && m.headers().isEmpty() && m.headersPresent().isEmpty()
                && m.withoutHeaders().isEmpty() && m.withoutHeadersPresent().isEmpty() && m.queryParams().isEmpty()
                && m.queryParamsPresent().isEmpty() && m.port() == 0 && m.sourceLabels().isEmpty()
                && m.sourceNamespace().isEmpty() && m.gateways().isEmpty();
    }

    /** Whether every request {@code b} matches is also matched by {@code a}. Sound, not complete. */
    static boolean covers(HttpMatch a, HttpMatch b) {
        boolean uri = a.uri() == null || anyValue(a.uri())
                || covers(a.uri(), b.uri()) && (a.ignoreUriCase() || !b.ignoreUriCase());
        return uri && covers(a.scheme(), b.scheme()) && covers(a.method(), b.method())
                && covers(a.authority(), b.authority())
                && values(a.headers(), b.headers()) && present(a.headersPresent(), b.headersPresent(), b.headers())
                && values(a.queryParams(), b.queryParams())
                && present(a.queryParamsPresent(), b.queryParamsPresent(), b.queryParams())
                && a.withoutHeaders().entrySet().stream().allMatch(e -> e.getValue().equals(
                        b.withoutHeaders().get(e.getKey())) || b.withoutHeadersPresent().contains(e.getKey()))
                && b.withoutHeadersPresent().containsAll(a.withoutHeadersPresent())
                && (a.port() == 0 || a.port() == b.port())
                && b.sourceLabels().entrySet().containsAll(a.sourceLabels().entrySet())
                && (a.sourceNamespace().isEmpty() || a.sourceNamespace().equals(b.sourceNamespace()))
                && (a.gateways().isEmpty() || !b.gateways().isEmpty() && a.gateways().containsAll(b.gateways()));
    }

    /** Every value {@code b} accepts is accepted by {@code a} (null: no condition). */
    private static boolean covers(StringMatch a, StringMatch b) {
        if (a == null) {
            return true;
        }
        if (b == null) {
            return false;
        }
        if (a instanceof StringMatch.Prefix p) {
            return !(b instanceof StringMatch.Regex) && b.value().startsWith(p.value());
        }
        return a.equals(b);
    }

    /** A path match every path passes: prefix {@code /} (or empty), regex {@code .*}. */
    private static boolean anyValue(StringMatch m) {
        return m instanceof StringMatch.Prefix p && (p.value().isEmpty() || p.value().equals("/"))
                || m instanceof StringMatch.Regex r && r.value().equals(".*");
    }

    private static boolean values(Map<String, StringMatch> a, Map<String, StringMatch> b) {
        return a.entrySet().stream().allMatch(e -> b.containsKey(e.getKey()) && covers(e.getValue(),
                b.get(e.getKey())));
    }

    private static boolean present(List<String> a, List<String> bPresent, Map<String, StringMatch> bValues) {
        return a.stream().allMatch(name -> bPresent.contains(name) || bValues.containsKey(name));
    }
}
