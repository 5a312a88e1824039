package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.List;
import meshlog.gatewayapi.delegation.Delegation;
import meshlog.gatewayapi.delegation.Delegation.ServedRoute;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.Body;
import meshlog.gatewayapi.model.VirtualService.HttpRoute;
import meshlog.gatewayapi.model.VirtualService.MirrorPolicy;
import meshlog.reconciler.ir.BackendRef;
import meshlog.reconciler.ir.RouteActionIr;
import meshlog.reconciler.ir.ServiceIr;
import meshlog.reconciler.ir.TranslationNote;
import meshlog.reconciler.ir.WeightedBackendIr;

/**
 * The action of one {@code http} route: a redirect, a direct response, or forwarding to its destinations (with
 * rewrite and mirrors). Routes come delegated already ({@link Delegation}); one still delegating would be a
 * second level of delegation, which Istio does not follow: it is skipped, noted.
 */
final class HttpActionTranslator {

    private HttpActionTranslator() {
    }

    /** @return null when the route is to be skipped (the reason is noted) */
    static RouteActionIr action(ServedRoute served, ServiceIr service, ServiceIndex index,
                                List<TranslationNote> notes) {
        HttpRoute route = served.route();
        String path = served.path();
        String origin = served.source();
        String namespace = served.origin().metadata().namespace();
        if (route.redirect() != null) {
            VirtualService.Redirect r = route.redirect();
            return new RouteActionIr.Redirect(r.uri(), r.prefixRewrite(), r.authority(),
                    r.port() == null ? 0 : r.port(), r.scheme(), r.redirectCode());
        }
        if (route.directResponse() != null) {
            return new RouteActionIr.DirectResponse(route.directResponse().status(),
                    body(route.directResponse().body()));
        }
        if (route.delegate() != null) {
            notes.add(new TranslationNote(origin, path + ".delegate: a delegate's route cannot delegate again "
                    + "(one level only); route skipped"));
            return null;
        }
        List<WeightedBackendIr> backends = DestinationResolver.resolve(origin, namespace, route.route(), path,
                service, index, notes);
        if (backends.isEmpty()) {
            return null;
        }
        // A route hashes as its backends' consistent hash says, when they agree (Istio takes the destination's rule).
        java.util.Set<meshlog.reconciler.ir.HashPolicyIr> hashes = new java.util.HashSet<>();
        backends.forEach(b -> hashes.add(index.hash(b.backend())));
        meshlog.reconciler.ir.HashPolicyIr hash = hashes.size() == 1 ? hashes.iterator().next() : null;
        return new RouteActionIr.Forward(backends, rewrite(route), mirrors(origin, namespace, route, path, service, index,
                notes),
                hash);
    }

    private static String body(Body body) {
        if (body == null) {
            return null;
        }
        if (body instanceof Body.Text t) {
            return t.value();
        }
        if (body instanceof Body.Bytes b) {
            return new String(java.util.Base64.getDecoder().decode(b.base64()), java.nio.charset.StandardCharsets.UTF_8);
        }
        throw new AssertionError(body);
    }

    private static RouteActionIr.RewriteIr rewrite(HttpRoute route) {
        VirtualService.Rewrite r = route.rewrite();
        if (r == null) {
            return null;
        }
        String uri = r.uri() == null ? "" : r.uri();
        String authority = r.authority() == null ? "" : r.authority();
        if (r.uriRegexRewrite() != null) {
            return new RouteActionIr.RewriteIr("", r.uriRegexRewrite().match(), r.uriRegexRewrite().rewrite(),
                    authority);
        }
        return new RouteActionIr.RewriteIr(uri, "", "", authority);
    }

    private static List<RouteActionIr.MirrorIr> mirrors(String origin, String namespace, HttpRoute route,
                                                        String path, ServiceIr service, ServiceIndex index,
                                                        List<TranslationNote> notes) {
        List<RouteActionIr.MirrorIr> out = new ArrayList<>();
        if (route.mirror() != null) {
            BackendRef ref = DestinationResolver.backend(origin, namespace, route.mirror(), path + ".mirror",
                    service, index, notes);
            double percent = route.mirrorPercentage() != null ? route.mirrorPercentage()
                    : route.mirrorPercent() != null ? route.mirrorPercent() : 100;
            if (ref != null) {
                out.add(new RouteActionIr.MirrorIr(ref, percent));
            }
        }
        for (int k = 0; k < route.mirrors().size(); k++) {
            MirrorPolicy m = route.mirrors().get(k);
            BackendRef ref = DestinationResolver.backend(origin, namespace, m.destination(),
                    path + ".mirrors[" + k + "].destination", service, index, notes);
            if (ref != null) {
                out.add(new RouteActionIr.MirrorIr(ref, m.percentage() == null ? 100 : m.percentage()));
            }
        }
        return out;
    }
}
