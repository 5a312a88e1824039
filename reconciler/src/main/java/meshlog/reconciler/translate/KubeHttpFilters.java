package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.model.KubeHttpRoute;
import meshlog.gatewayapi.model.KubeRouteFilter;
import meshlog.gatewayapi.model.KubeRouteFilter.PathModifier;
import meshlog.gatewayapi.model.KubeRouteFilter.PathModifierType;
import meshlog.gatewayapi.model.KubeRouteParts.Header;
import meshlog.gatewayapi.model.KubeRouteParts.HeaderModifier;
import meshlog.gatewayapi.model.StringMatch;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.HeaderOperations;
import meshlog.gatewayapi.model.VirtualService.HttpMatch;
import meshlog.gatewayapi.model.VirtualService.HttpRoute;
import meshlog.gatewayapi.model.VirtualService.MirrorPolicy;
import meshlog.gatewayapi.model.VirtualService.RouteDestination;
import meshlog.reconciler.ir.TranslationNote;

/**
 * The filters of an HTTPRoute rule as the parts of a VirtualService route Istio gives them: RequestHeaderModifier
 * and ResponseHeaderModifier as header operations, RequestRedirect as a redirect, URLRewrite as a rewrite,
 * RequestMirror as mirrors. {@code ReplacePrefixMatch} is written per match ({@link KubeHttpRules#matches}): the
 * exact {@code /foo} is swapped whole, the prefix {@code /foo/} for the replacement with one trailing slash. An
 * ExtensionRef cannot be resolved here: as the Gateway API requires, its requests get 500 rather than skipping it.
 */
final class KubeHttpFilters {

    private KubeHttpFilters() {
    }

    /** What a rule's filters do, applied to each of its routes. */
    record Action(HeaderOperations request, HeaderOperations response, KubeRouteFilter.RequestRedirect redirect,
                  KubeRouteFilter.UrlRewrite rewrite, List<MirrorPolicy> mirrors, boolean fails) {

        HttpRoute apply(HttpRoute base, HttpMatch match, List<RouteDestination> destinations, int total,
                        int unresolved, KubeHttpRoute.Timeouts timeouts) {
            VirtualService.Headers headers = request == null && response == null ? null
                    : new VirtualService.Headers(request, response);
            if (fails) {
                return KubeHttpRules.internalError(base);
            }
            if (redirect != null) {
                return new HttpRoute(base.name(), base.match(), List.of(), redirect(match), null, null, null, null,
                        null, null, null, List.of(), null, null, null, headers);
            }
            if (destinations.isEmpty()) {
                return KubeHttpRules.internalError(base);
            }
            // the share of requests whose backends do not resolve get 500 (the Gateway API's words), the rest route
            VirtualService.Fault fault = unresolved == 0 ? null : new VirtualService.Fault(null,
                    new VirtualService.FaultAbort(500, null, null, 100.0 * unresolved / total));
            return new HttpRoute(base.name(), base.match(), destinations, null, null, null, rewrite(match),
                    timeouts == null ? null : timeouts.request(), null, fault, null, mirrors, null, null, null,
                    headers);
        }

        private VirtualService.Redirect redirect(HttpMatch match) {
            PathModifier p = redirect.path();
            String full = p != null && p.type() == PathModifierType.ReplaceFullPath ? p.replaceFullPath() : null;
            String prefix = p != null && p.type() == PathModifierType.ReplacePrefixMatch
                    ? prefixReplacement(match, p.replacePrefixMatch()) : null;
            int code = redirect.statusCode() == 0 ? 302 : redirect.statusCode();
            return new VirtualService.Redirect(full, redirect.hostname(), redirect.port(), null,
                    redirect.scheme(), code, prefix);
        }

        private VirtualService.Rewrite rewrite(HttpMatch match) {
            if (rewrite == null) {
                return null;
            }
            PathModifier p = rewrite.path();
            if (p != null && p.type() == PathModifierType.ReplaceFullPath) {
                return new VirtualService.Rewrite(null, rewrite.hostname(),
                        new VirtualService.RegexRewrite("^.*$", p.replaceFullPath()));
            }
            String prefix = p == null ? null : prefixReplacement(match, p.replacePrefixMatch());
            return new VirtualService.Rewrite(prefix, rewrite.hostname(), null);
        }
    }

    /** The prefix rewrite of one of a segment prefix's two matches: the exact path whole, the prefix with "/". */
    static String prefixReplacement(HttpMatch match, String replacement) {
        String r = replacement == null ? "/" : replacement;
        if (match.uri() instanceof StringMatch.Prefix) {
            return (r.endsWith("/") ? r.substring(0, r.length() - 1) : r) + "/";
        }
        return r.isEmpty() ? "/" : r;
    }

    static Action action(List<KubeRouteFilter> filters, KubeBackends.Resolver resolver,
                         KubeBackends.Problems problems, String resource, String at, List<TranslationNote> notes) {
        HeaderOperations request = null;
        HeaderOperations response = null;
        KubeRouteFilter.RequestRedirect redirect = null;
        KubeRouteFilter.UrlRewrite rewrite = null;
        List<MirrorPolicy> mirrors = new ArrayList<>();
        boolean fails = false;
        for (int i = 0; i < filters.size(); i++) {
            KubeRouteFilter f = filters.get(i);
            String fat = at + ".filters[" + i + "]";
            if (f instanceof KubeRouteFilter.RequestHeaderModifier h) {
                request = ops(h.modifier());
            } else if (f instanceof KubeRouteFilter.ResponseHeaderModifier h) {
                response = ops(h.modifier());
            } else if (f instanceof KubeRouteFilter.RequestRedirect r) {
                redirect = r;
            } else if (f instanceof KubeRouteFilter.UrlRewrite r) {
                rewrite = r;
            } else if (f instanceof KubeRouteFilter.RequestMirror m) {
                KubeBackends.Problem p = resolver.problem(m.backendRef());
                if (p != null) {
                    problems.add(p);
                    continue;
                }
                double percent = m.percent() != null ? m.percent() : m.fraction() != null
                        ? 100.0 * m.fraction().numerator() / (m.fraction().denominator() == 0 ? 100
                        : m.fraction().denominator()) : 100;
                mirrors.add(new MirrorPolicy(new VirtualService.Destination(resolver.host(m.backendRef()), "",
                        m.backendRef().port()), percent));
            } else if (f instanceof KubeRouteFilter.ExtensionRef) {
                notes.add(new TranslationNote(resource, fat + ": ExtensionRef filters are not served; the rule's"
                        + " requests get 500, as the Gateway API requires for a filter that cannot be resolved"));
                fails = true;
            } else if (f instanceof KubeRouteFilter.Cors) {
                notes.add(new TranslationNote(resource, fat + ": CORS filters are not applied yet; ignored"));
            } else {
                throw new AssertionError(f);
            }
        }
        return new Action(request, response, redirect, rewrite, List.copyOf(mirrors), fails);
    }

    /** The header operations of a backend's own filters (only the header modifiers are applied per backend). */
    static VirtualService.Headers backendHeaders(List<KubeRouteFilter> filters, String resource, String at,
                                                 List<TranslationNote> notes) {
        HeaderOperations request = null;
        HeaderOperations response = null;
        for (int i = 0; i < filters.size(); i++) {
            KubeRouteFilter f = filters.get(i);
            if (f instanceof KubeRouteFilter.RequestHeaderModifier h) {
                request = ops(h.modifier());
            } else if (f instanceof KubeRouteFilter.ResponseHeaderModifier h) {
                response = ops(h.modifier());
            } else {
                notes.add(new TranslationNote(resource, at + ".filters[" + i + "]: " + f.type() + " is applied on"
                        + " a rule, not yet per backend; ignored"));
            }
        }
        return request == null && response == null ? null : new VirtualService.Headers(request, response);
    }

    private static HeaderOperations ops(HeaderModifier m) {
        return new HeaderOperations(map(m.set()), map(m.add()), m.remove());
    }

    private static Map<String, String> map(List<Header> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        headers.forEach(h -> out.putIfAbsent(h.name(), h.value()));
        return out;
    }
}
