package meshlog.reconciler.ir;

import java.util.List;

/**
 * One rule: when the match holds, do the action.
 *
 * @param name empty when the user named none
 * @param policy timeout and retries; {@link RoutePolicyIr#NONE} leaves the client's defaults
 * @param headerOps header changes on request and response
 * @param fault null for no fault injection
 * @param cors null for no CORS policy
 */
public record RouteIr(String name, RouteMatchIr match, RouteActionIr action, RoutePolicyIr policy,
                      HeaderOpsIr headerOps, FaultIr fault, CorsIr cors) {

    /** A route on path and header values only, with no header changes, fault or CORS. */
    public RouteIr(String name, TextMatchIr path, List<HeaderMatchIr> headers, RouteActionIr action,
                   RoutePolicyIr policy) {
        this(name, new RouteMatchIr(path, false, headers, List.of()), action, policy, HeaderOpsIr.NONE, null, null);
    }

    public TextMatchIr path() {
        return match.path();
    }

    public List<HeaderMatchIr> headers() {
        return match.headers();
    }

    /** The backends a {@link RouteActionIr.Forward} sends to; empty for other actions. */
    public List<WeightedBackendIr> backends() {
        return action instanceof RouteActionIr.Forward f ? f.backends() : List.of();
    }
}
