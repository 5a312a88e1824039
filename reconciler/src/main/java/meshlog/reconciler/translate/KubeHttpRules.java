package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import meshlog.gatewayapi.model.KubeHttpRoute;
import meshlog.gatewayapi.model.KubeHttpRoute.Match;
import meshlog.gatewayapi.model.KubeHttpRoute.PathType;
import meshlog.gatewayapi.model.KubeRouteParts.BackendRef;
import meshlog.gatewayapi.model.KubeRouteParts.ValueMatch;
import meshlog.gatewayapi.model.KubeRouteParts.ValueMatchType;
import meshlog.gatewayapi.model.StringMatch;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.Destination;
import meshlog.gatewayapi.model.VirtualService.HttpMatch;
import meshlog.gatewayapi.model.VirtualService.HttpRoute;
import meshlog.gatewayapi.model.VirtualService.RouteDestination;
import meshlog.reconciler.ir.TranslationNote;

/**
 * The rules of an HTTPRoute as VirtualService {@code http} routes, as Istio's conversion writes them: one route per
 * match (so that matches of every route of a host can be ordered by the Gateway API's precedence,
 * {@link #PRECEDENCE}); a {@code PathPrefix} {@code /foo} as the two matches {@code /foo} exactly and prefix
 * {@code /foo/} (the Gateway API's prefix is per path segment); headers, query parameters and method as match
 * conditions; the backends with their weights ({@link KubeBackends}: a share of requests as unresolved references
 * carry gets 500, all of them 500 when none resolves); the filters as header operations, redirect, rewrite and
 * mirrors ({@link KubeHttpFilters}).
 */
final class KubeHttpRules {

    private KubeHttpRules() {
    }

    /** One route of a rule's match, with what orders it among a host's routes. */
    record Entry(HttpRoute route, int pathRank, int pathLength, boolean method, int headers, int queryParams) {
    }

    /**
     * The Gateway API's order: Exact paths, then regular expressions, then prefixes; longer paths first; a method
     * match first; more header matches, then more query parameter matches first; ties keep the input order (routes
     * by namespace and name, rules and matches as written).
     */
    static final Comparator<Entry> PRECEDENCE = Comparator.comparingInt(Entry::pathRank)
            .thenComparing(Comparator.comparingInt(Entry::pathLength).reversed())
            .thenComparing(e -> !e.method())
            .thenComparing(Comparator.comparingInt(Entry::headers).reversed())
            .thenComparing(Comparator.comparingInt(Entry::queryParams).reversed());

    /** The routes of every rule of {@code route}; unresolved references are added to {@code problems}. */
    static List<Entry> translate(KubeHttpRoute route, KubeBackends.Resolver resolver, KubeBackends.Problems problems,
                                 String resource, List<TranslationNote> notes) {
        List<Entry> out = new ArrayList<>();
        String prefix = route.metadata().namespace() + "." + route.metadata().name();
        for (int r = 0; r < route.rules().size(); r++) {
            KubeHttpRoute.Rule rule = route.rules().get(r);
            String at = "spec.rules[" + r + "]";
            List<RouteDestination> destinations = new ArrayList<>();
            int total = 0;
            int unresolved = 0;
            for (int b = 0; b < rule.backendRefs().size(); b++) {
                BackendRef ref = rule.backendRefs().get(b);
                total += ref.weight();
                KubeBackends.Problem p = resolver.problem(ref.ref());
                if (p != null) {
                    problems.add(p);
                    unresolved += ref.weight();
                } else if (ref.weight() > 0) {
                    destinations.add(new RouteDestination(new Destination(resolver.host(ref.ref()), "",
                            ref.port()), ref.weight(), KubeHttpFilters.backendHeaders(ref.filters(), resource,
                            at + ".backendRefs[" + b + "]", notes)));
                }
            }
            KubeHttpFilters.Action action = KubeHttpFilters.action(rule.filters(), resolver, problems, resource, at,
                    notes);
            for (int m = 0; m < rule.matches().size(); m++) {
                Match match = rule.matches().get(m);
                for (HttpMatch hm : matches(match)) {
                    HttpRoute base = new HttpRoute(prefix + "." + r + "." + m, List.of(hm), List.of());
                    out.add(entry(match, action.apply(base, hm, destinations, total, unresolved, rule.timeouts())));
                }
            }
        }
        return out;
    }

    private static Entry entry(Match m, HttpRoute route) {
        int rank = switch (m.path().type()) {
            case Exact -> 0;
            case RegularExpression -> 1;
            case PathPrefix -> 2;
        };
        return new Entry(route, rank, m.path().value().length(), m.method() != null, m.headers().size(),
                m.queryParams().size());
    }

    /** The VirtualService matches of one Gateway API match (two for a segment prefix other than {@code /}). */
    static List<HttpMatch> matches(Match m) {
        List<StringMatch> paths = new ArrayList<>();
        String value = m.path().value();
        if (m.path().type() == PathType.Exact) {
            paths.add(new StringMatch.Exact(value));
        } else if (m.path().type() == PathType.RegularExpression) {
            paths.add(new StringMatch.Regex(value));
        } else {
            String trimmed = value.length() > 1 && value.endsWith("/") ? value.substring(0, value.length() - 1)
                    : value;
            if (trimmed.equals("/")) {
                paths.add(new StringMatch.Prefix("/"));
            } else {
                paths.add(new StringMatch.Exact(trimmed));
                paths.add(new StringMatch.Prefix(trimmed + "/"));
            }
        }
        Map<String, StringMatch> headers = values(m.headers());
        Map<String, StringMatch> query = new LinkedHashMap<>();
        m.queryParams().forEach(q -> query.putIfAbsent(q.name(), text(q)));
        StringMatch method = m.method() == null ? null : new StringMatch.Exact(m.method());
        return paths.stream().map(p -> new HttpMatch("", p, null, method, null, headers, List.of(), Map.of(),
                List.of(), query, List.of(), 0, Map.of(), "", List.of(), false, "")).toList();
    }

    /** Header matches by lower-cased name (names are case-insensitive; the first of a name wins, as specified). */
    private static Map<String, StringMatch> values(List<ValueMatch> matches) {
        Map<String, StringMatch> out = new LinkedHashMap<>();
        matches.forEach(v -> out.putIfAbsent(v.name().toLowerCase(Locale.ROOT), text(v)));
        return out;
    }

    private static StringMatch text(ValueMatch v) {
        return v.type() == ValueMatchType.RegularExpression ? new StringMatch.Regex(v.value())
                : new StringMatch.Exact(v.value());
    }

    /** A route answering 500 to every request: what the Gateway API asks where a request has no valid backend. */
    static HttpRoute internalError(HttpRoute base) {
        return new HttpRoute(base.name(), base.match(), List.of(), null,
                new VirtualService.DirectResponse(500, null), null, null, null, null, null, null, List.of(), null,
                null, null, null);
    }
}
