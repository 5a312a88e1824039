package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.HeaderOperations;
import meshlog.gatewayapi.model.VirtualService.HttpRoute;
import meshlog.reconciler.ir.CorsIr;
import meshlog.reconciler.ir.FaultIr;
import meshlog.reconciler.ir.HeaderOpsIr;
import meshlog.reconciler.ir.RouteActionIr;
import meshlog.reconciler.ir.RoutePolicyIr;
import meshlog.reconciler.ir.TextMatchIr;
import meshlog.reconciler.ir.TranslationNote;

/**
 * What an {@code http} route sets besides its match and action, as Istio translates it: {@code timeout},
 * {@code retries} (retry conditions that are numbers become retriable status codes; an empty {@code retryOn} is
 * Istio's default set; {@code attempts: 0} turns retries off), {@code headers}, {@code fault}, {@code corsPolicy}.
 */
final class HttpPolicyTranslator {

    static final String DEFAULT_RETRY_ON = "connect-failure,refused-stream,unavailable,cancelled,"
            + "retriable-status-codes";

    private HttpPolicyTranslator() {
    }

    static RoutePolicyIr policy(HttpRoute route, RoutePolicyIr defaults, RouteActionIr action) {
        if (!(action instanceof RouteActionIr.Forward)) {
            return RoutePolicyIr.NONE; // redirects and direct responses reach no backend
        }
        java.time.Duration timeout = route.timeout() != null ? route.timeout() : defaults.timeout();
        VirtualService.Retries r = route.retries();
        if (r == null) {
            return new RoutePolicyIr(timeout, defaults.retry(), defaults.deadline());
        }
        if (r.attempts() <= 0) {
            return new RoutePolicyIr(timeout, null, defaults.deadline());
        }
        List<String> conditions = new ArrayList<>();
        List<Integer> codes = new ArrayList<>();
        for (String part : (r.retryOn().isBlank() ? DEFAULT_RETRY_ON : r.retryOn()).split(",")) {
            String p = part.trim();
            if (p.matches("[0-9]{3}")) {
                codes.add(Integer.parseInt(p));
            } else if (!p.isEmpty() && !conditions.contains(p)) {
                conditions.add(p);
            }
        }
        if (!codes.isEmpty() && !conditions.contains("retriable-status-codes")) {
            conditions.add("retriable-status-codes");
        }
        if (r.retryOn().isBlank()) {
            codes = List.of(503);
        }
        return new RoutePolicyIr(timeout, new RoutePolicyIr.RetryIr(r.attempts(), String.join(",", conditions),
                r.perTryTimeout(), codes), defaults.deadline());
    }

    static HeaderOpsIr headerOps(HttpRoute route) {
        if (route.headers() == null) {
            return HeaderOpsIr.NONE;
        }
        HeaderOperations req = route.headers().request();
        HeaderOperations resp = route.headers().response();
        return new HeaderOpsIr(set(req), add(req), remove(req), set(resp), add(resp), remove(resp));
    }

    private static Map<String, String> set(HeaderOperations o) {
        return o == null ? Map.of() : o.set();
    }

    private static Map<String, String> add(HeaderOperations o) {
        return o == null ? Map.of() : o.add();
    }

    private static List<String> remove(HeaderOperations o) {
        return o == null ? List.of() : o.remove();
    }

    /** @return null without fault injection */
    static FaultIr fault(HttpRoute route, String path, String origin, List<TranslationNote> notes) {
        VirtualService.Fault f = route.fault();
        if (f == null) {
            return null;
        }
        java.time.Duration delay = null;
        double delayPercent = 0;
        if (f.delay() != null) {
            delay = f.delay().fixedDelay();
            if (delay == null) {
                notes.add(new TranslationNote(origin, path + ".fault.delay.exponentialDelay: Envoy has no "
                        + "exponential delay; not applied"));
            }
            delayPercent = f.delay().percentage() != null ? f.delay().percentage()
                    : f.delay().percent() != null ? f.delay().percent() : 100;
        }
        int http = 0;
        int grpc = -1;
        double abortPercent = 0;
        if (f.abort() != null) {
            abortPercent = f.abort().percentage() != null ? f.abort().percentage() : 100;
            if (f.abort().httpStatus() != null) {
                http = f.abort().httpStatus();
            } else if (f.abort().grpcStatus() != null) {
                grpc = GrpcStatusCodes.of(f.abort().grpcStatus());
            } else {
                notes.add(new TranslationNote(origin, path + ".fault.abort.http2Error: not applied"));
                abortPercent = 0;
            }
        }
        if (delay == null && http == 0 && grpc < 0) {
            return null;
        }
        return new FaultIr(delay, delay == null ? 0 : delayPercent, http, grpc, abortPercent);
    }

    /** @return null without a CORS policy */
    static CorsIr cors(HttpRoute route) {
        VirtualService.CorsPolicy c = route.corsPolicy();
        if (c == null) {
            return null;
        }
        List<TextMatchIr> origins = new ArrayList<>();
        c.allowOrigins().forEach(m -> origins.add(HttpMatchTranslator.text(m)));
        c.allowOrigin().forEach(o -> origins.add(new TextMatchIr(TextMatchIr.Kind.EXACT, o)));
        return new CorsIr(origins, c.allowMethods(), c.allowHeaders(), c.exposeHeaders(), c.maxAge(),
                c.allowCredentials());
    }
}
