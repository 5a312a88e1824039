package meshlog.gatewayapi.validate;

import meshlog.gatewayapi.model.StringMatch;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.DirectResponse;
import meshlog.gatewayapi.model.VirtualService.HttpRoute;
import meshlog.gatewayapi.model.VirtualService.Redirect;
import meshlog.gatewayapi.model.VirtualService.Rewrite;

/**
 * One HTTP route of a VirtualService: its action (Istio's {@code validateHTTPRouteConflict}), redirect, rewrite,
 * direct response, header changes and timeout. Matches are checked by {@link HttpMatchRules}; fault, retries,
 * mirroring and CORS by {@link HttpPolicyRules}.
 */
final class HttpRouteRules {

    private static final int KB = 1024;

    private HttpRouteRules() {
    }

    /** @param toGateway the VirtualService is bound to gateways only, {@code mesh} not among them */
    static void check(VirtualService vs, int index, boolean toGateway, Findings f) {
        HttpRoute r = vs.http().get(index);
        String base = "spec.http[" + index + "]";
        action(r, vs.hosts().isEmpty(), base, f);
        for (int j = 0; j < r.match().size(); j++) {
            HttpMatchRules.check(r.match().get(j), base + ".match[" + j + "]", toGateway, f);
        }
        VirtualServiceRules.destinations(r.route(), base + ".route", f);
        if (r.redirect() != null) {
            redirect(r, base + ".redirect", f);
        }
        if (r.rewrite() != null) {
            rewrite(r.rewrite(), base + ".rewrite", f);
        }
        if (r.directResponse() != null) {
            directResponse(r.directResponse(), base + ".directResponse", f);
        }
        if (r.headers() != null) {
            VirtualServiceRules.headers(r.headers(), base + ".headers", f);
        }
        authority(r, base, f);
        if (r.timeout() != null) {
            f.errorIf("VS0328", base + ".timeout", Checks.duration(r.timeout()));
        }
        HttpPolicyRules.check(r, base, f);
    }

    /** Exactly one action: route, redirect or directResponse, or (on a root VirtualService) delegate. */
    private static void action(HttpRoute r, boolean inDelegate, String base, Findings f) {
        if (!inDelegate && r.delegate() != null) {
            if (r.redirect() != null) {
                f.error("VS0301", base + ".redirect", "a route that delegates must not also redirect");
            }
            if (!r.route().isEmpty()) {
                f.error("VS0301", base + ".route", "a route that delegates must not also have destinations");
            }
            return;
        }
        if (inDelegate && r.delegate() != null) {
            f.error("VS0302", base + ".delegate", "a delegate VirtualService (one without hosts) cannot delegate "
                    + "again");
        }
        if (r.redirect() != null) {
            conflict(!r.route().isEmpty(), "route", "redirect", base, f);
            conflict(r.fault() != null, "fault", "redirect", base, f);
            conflict(r.rewrite() != null, "rewrite", "redirect", base, f);
            conflict(r.directResponse() != null, "directResponse", "redirect", base, f);
        } else if (r.directResponse() != null) {
            conflict(!r.route().isEmpty(), "route", "directResponse", base, f);
            conflict(r.fault() != null, "fault", "directResponse", base, f);
            conflict(r.rewrite() != null, "rewrite", "directResponse", base, f);
        } else if (r.route().isEmpty()) {
            f.error("VS0102", base + ".route", "a route needs destinations (route), a redirect or a "
                    + "directResponse");
        }
        if (r.mirror() != null && !r.mirrors().isEmpty()) {
            f.error("VS0303", base + ".mirrors", "mirror and mirrors cannot both be set; list every mirror under "
                    + "mirrors");
        }
    }

    private static void conflict(boolean set, String field, String action, String base, Findings f) {
        if (set) {
            f.error("VS0300", base + "." + field, field + " cannot be combined with " + action
                    + " in the same route");
        }
    }

    /** Istio's {@code validateHTTPRedirect}. */
    private static void redirect(HttpRoute route, String path, Findings f) {
        Redirect r = route.redirect();
        if (r.uri().isEmpty() && r.authority().isEmpty() && r.port() == null && r.derivePort() == null
                && r.scheme().isEmpty() && r.prefixRewrite().isEmpty()) {
            f.error("VS0307", path, "a redirect must change at least one of uri, prefixRewrite, authority, "
                    + "scheme or port");
        }
        if (!r.uri().isEmpty() && !r.prefixRewrite().isEmpty()) {
            f.error("VS0310", path + ".prefixRewrite", "uri and prefixRewrite cannot both be set");
        } else if (!r.prefixRewrite().isEmpty()) {
            for (int j = 0; j < route.match().size(); j++) {
                StringMatch uri = route.match().get(j).uri();
                if (uri != null && !(uri instanceof StringMatch.Prefix)) {
                    f.error("VS0310", path + ".prefixRewrite", "prefixRewrite needs every uri match to be a "
                            + "prefix match; match[" + j + "].uri is not");
                }
            }
        }
        if (r.redirectCode() < 300 || r.redirectCode() > 399) {
            f.error("VS0308", path + ".redirectCode", "must be a 3xx code, got " + r.redirectCode());
        }
        if (!r.scheme().isEmpty() && !r.scheme().equals("http") && !r.scheme().equals("https")) {
            f.error("VS0309", path + ".scheme", "must be http or https, got \"" + r.scheme() + "\"");
        }
        if (r.port() != null && (r.port() < 0 || r.port() > 65535)) {
            f.error("VS0311", path + ".port", "must be 1..65535, got " + r.port());
        }
    }

    /** Istio's {@code validateHTTPRewrite} and {@code validateURIRegexRewrite}. */
    private static void rewrite(Rewrite r, String path, Findings f) {
        if (!r.uri().isEmpty() && r.uriRegexRewrite() != null) {
            f.error("VS0312", path + ".uriRegexRewrite", "uri and uriRegexRewrite cannot both be set");
        }
        if (r.uri().isEmpty() && r.uriRegexRewrite() == null && r.authority().isEmpty()) {
            f.error("VS0312", path, "a rewrite must set uri, uriRegexRewrite or authority");
        }
        var regex = r.uriRegexRewrite();
        if (regex != null) {
            if (regex.match().isEmpty() || regex.rewrite().isEmpty()) {
                f.error("VS0312", path + ".uriRegexRewrite", "uriRegexRewrite needs both match and rewrite");
            }
            if (!regex.match().isEmpty()) {
                f.errorIf("VS0200", path + ".uriRegexRewrite.match", RegexChecks.re2(regex.match()));
            }
        }
    }

    /** Istio's {@code validateHTTPDirectResponse}: a status Envoy can send, a body that is not too large. */
    private static void directResponse(DirectResponse d, String path, Findings f) {
        if (d.status() < 200 || d.status() > 600) {
            f.error("VS0313", path + ".status", "must be an HTTP status 200..600, got " + d.status());
        }
        if (d.body() != null) {
            int size = d.body().size();
            if (size > 1024 * KB) {
                f.error("VS0314", path + ".body", "the body is " + size + " bytes; at most 1 MB is allowed");
            } else if (size > 100 * KB) {
                f.warning("VS0315", path + ".body", "the body is " + size + " bytes; bodies above 100 KB slow "
                        + "the control plane down");
            }
        }
    }

    /** Istio's {@code validateAuthorityRewrite}: the authority is set in one place only. */
    private static void authority(HttpRoute r, String base, Findings f) {
        int count = r.rewrite() != null && !r.rewrite().authority().isEmpty() ? 1 : 0;
        var request = r.headers() == null ? null : r.headers().request();
        if (request != null) {
            count += request.set().keySet().stream().filter(HttpChecks::isAuthority).count();
            count += request.add().keySet().stream().filter(HttpChecks::isAuthority).count();
        }
        if (count > 1) {
            f.error("VS0306", base + ".headers.request", "the authority is set " + count + " times (rewrite."
                    + "authority and :authority or host in headers.request.set/add); set it once");
        }
    }
}
