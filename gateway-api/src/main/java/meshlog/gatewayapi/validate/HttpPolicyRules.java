package meshlog.gatewayapi.validate;

import java.time.Duration;
import java.util.Set;
import meshlog.gatewayapi.model.StringMatch;
import meshlog.gatewayapi.model.VirtualService.CorsPolicy;
import meshlog.gatewayapi.model.VirtualService.Fault;
import meshlog.gatewayapi.model.VirtualService.HttpRoute;
import meshlog.gatewayapi.model.VirtualService.Retries;

/** The policies of one HTTP route: fault injection, retries, mirroring and CORS, as Istio validates them. */
final class HttpPolicyRules {

    /** Envoy's {@code x-envoy-retry-on} and {@code x-envoy-retry-grpc-on} conditions (Istio's list). */
    private static final Set<String> RETRY_ON = Set.of("5xx", "gateway-error", "reset", "reset-before-request",
            "connect-failure", "retriable-4xx", "refused-stream", "retriable-status-codes", "retriable-headers",
            "envoy-ratelimited", "http3-post-connect-failure", "cancelled", "deadline-exceeded", "internal",
            "resource-exhausted", "unavailable");
    private static final Set<String> GRPC_STATUS = Set.of("OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
            "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
            "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE",
            "DATA_LOSS", "UNAUTHENTICATED");

    private HttpPolicyRules() {
    }

    static void check(HttpRoute r, String base, Findings f) {
        if (r.fault() != null) {
            fault(r.fault(), base + ".fault", f);
        }
        if (r.retries() != null) {
            retries(r.retries(), base + ".retries", f);
        }
        mirrors(r, base, f);
        if (r.corsPolicy() != null) {
            cors(r.corsPolicy(), base + ".corsPolicy", f);
        }
    }

    /** Istio's {@code validateHTTPFaultInjection}. */
    private static void fault(Fault fault, String path, Findings f) {
        if (fault.delay() == null && fault.abort() == null) {
            f.error("VS0316", path, "a fault needs an abort, a delay or both");
        }
        var delay = fault.delay();
        if (delay != null) {
            percentage(delay.percentage(), path + ".delay.percentage", f);
            if (delay.percent() != null && (delay.percent() < 0 || delay.percent() > 100)) {
                f.error("VS0317", path + ".delay.percent", "must be 0..100, got " + delay.percent());
            }
            duration(delay.fixedDelay(), path + ".delay.fixedDelay", f);
            if (delay.exponentialDelay() != null) {
                f.error("VS0320", path + ".delay.exponentialDelay", "exponentialDelay is not supported by Istio; "
                        + "use fixedDelay");
            } else if (delay.fixedDelay() == null) {
                f.warning("VS0321", path + ".delay", "the delay has no fixedDelay, so it delays nothing");
            }
        }
        var abort = fault.abort();
        if (abort != null) {
            percentage(abort.percentage(), path + ".abort.percentage", f);
            if (abort.http2Error() != null) {
                f.error("VS0320", path + ".abort.http2Error", "http2Error aborts are not supported by Istio; use "
                        + "httpStatus or grpcStatus");
            } else if (abort.grpcStatus() != null) {
                if (!GRPC_STATUS.contains(abort.grpcStatus())) {
                    f.error("VS0319", path + ".abort.grpcStatus", "\"" + abort.grpcStatus() + "\" is not a gRPC "
                            + "status name (like NOT_FOUND or UNAVAILABLE)");
                }
            } else if (abort.httpStatus() != null) {
                if (abort.httpStatus() < 200 || abort.httpStatus() > 600) {
                    f.error("VS0318", path + ".abort.httpStatus", "must be an HTTP status 200..600, got "
                            + abort.httpStatus());
                }
            } else {
                f.warning("VS0321", path + ".abort", "the abort sets no httpStatus or grpcStatus, so it aborts "
                        + "nothing");
            }
        }
    }

    /** Istio's {@code validatePercentage}: 0, or 0.0001 to 100. */
    private static void percentage(Double value, String path, Findings f) {
        if (value != null && (value < 0 || value > 100 || value > 0 && value < 0.0001)) {
            f.error("VS0317", path + ".value", "must be 0 or between 0.0001 and 100, got " + value);
        }
    }

    /** Istio's {@code ValidateHTTPRetry}. */
    private static void retries(Retries r, String path, Findings f) {
        if (r.attempts() < 0) {
            f.error("VS0325", path + ".attempts", "must be >= 0, got " + r.attempts());
        }
        if (r.attempts() == 0 && (r.perTryTimeout() != null || !r.retryOn().isEmpty()
                || r.retryRemoteLocalities() != null)) {
            f.error("VS0326", path, "attempts is 0 (retries disabled), yet perTryTimeout, retryOn or "
                    + "retryRemoteLocalities is set; set attempts");
        }
        duration(r.perTryTimeout(), path + ".perTryTimeout", f);
        duration(r.backoff(), path + ".backoff", f);
        if (!r.retryOn().isEmpty()) {
            for (String policy : r.retryOn().split(",", -1)) {
                if (!RETRY_ON.contains(policy) && !HttpChecks.isKnownStatus(policy)) {
                    f.error("VS0327", path + ".retryOn", "\"" + policy + "\" is not a retry condition Envoy "
                            + "knows (like 5xx, connect-failure, reset, unavailable) nor an HTTP status code");
                }
            }
        }
    }

    /** Istio's mirror checks: destinations and percentages. */
    private static void mirrors(HttpRoute r, String base, Findings f) {
        if (r.mirror() != null) {
            VirtualServiceRules.destination(r.mirror(), base + ".mirror", f);
        }
        for (int k = 0; k < r.mirrors().size(); k++) {
            var m = r.mirrors().get(k);
            String at = base + ".mirrors[" + k + "]";
            if (m.destination() == null) {
                f.error("VS0323", at + ".destination", "each mirror needs a destination");
            } else {
                VirtualServiceRules.destination(m.destination(), at + ".destination", f);
            }
            mirrorPercent(m.percentage(), at + ".percentage.value", f);
        }
        mirrorPercent(r.mirrorPercentage(), base + ".mirrorPercentage.value", f);
        if (r.mirrorPercent() != null) {
            mirrorPercent(r.mirrorPercent().doubleValue(), base + ".mirrorPercent", f);
            f.warning("VS0324", base + ".mirrorPercent", "mirrorPercent is deprecated; use mirrorPercentage");
        }
    }

    private static void mirrorPercent(Double value, String path, Findings f) {
        if (value != null && (value < 0 || value > 100)) {
            f.error("VS0322", path, "must be between 0 and 100, got " + value);
        }
    }

    /** Istio's {@code validateCORSPolicy}. */
    private static void cors(CorsPolicy c, String path, Findings f) {
        for (int k = 0; k < c.allowOrigins().size(); k++) {
            StringMatch origin = c.allowOrigins().get(k);
            String at = path + ".allowOrigins[" + k + "]";
            if (origin.value().isEmpty()) {
                f.error("VS0329", at, "an allowed origin must not be empty");
            } else if (origin instanceof StringMatch.Regex) {
                f.errorIf("VS0200", at + ".regex", RegexChecks.re2(origin.value()));
            }
        }
        for (int k = 0; k < c.allowMethods().size(); k++) {
            f.errorIf("VS0330", path + ".allowMethods[" + k + "]", HttpChecks.corsMethod(c.allowMethods().get(k)));
        }
        for (int k = 0; k < c.allowHeaders().size(); k++) {
            f.errorIf("VS0331", path + ".allowHeaders[" + k + "]",
                    HttpChecks.corsHeaderName(c.allowHeaders().get(k)));
        }
        for (int k = 0; k < c.exposeHeaders().size(); k++) {
            f.errorIf("VS0331", path + ".exposeHeaders[" + k + "]",
                    HttpChecks.corsHeaderName(c.exposeHeaders().get(k)));
        }
        if (c.maxAge() != null) {
            duration(c.maxAge(), path + ".maxAge", f);
            if (c.maxAge().getNano() != 0) {
                f.error("VS0332", path + ".maxAge", "maxAge is sent in whole seconds; got "
                        + meshlog.gatewayapi.Durations.format(c.maxAge()));
            }
        }
    }

    private static void duration(Duration d, String path, Findings f) {
        if (d != null) {
            f.errorIf("VS0328", path, Checks.duration(d));
        }
    }
}
