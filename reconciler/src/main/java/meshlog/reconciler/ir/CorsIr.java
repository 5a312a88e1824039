package meshlog.reconciler.ir;

import java.time.Duration;
import java.util.List;

/**
 * A route's CORS policy (Envoy's CORS filter, configured per route).
 *
 * @param allowOrigins origins allowed, as string matches
 * @param maxAge null when not given
 * @param allowCredentials null when not given
 */
public record CorsIr(List<TextMatchIr> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
                     List<String> exposeHeaders, Duration maxAge, Boolean allowCredentials) {
    public CorsIr {
        allowOrigins = List.copyOf(allowOrigins);
        allowMethods = List.copyOf(allowMethods);
        allowHeaders = List.copyOf(allowHeaders);
        exposeHeaders = List.copyOf(exposeHeaders);
    }
}
