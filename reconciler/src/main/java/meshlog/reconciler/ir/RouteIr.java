package meshlog.reconciler.ir;

import java.util.List;

/**
 * One rule: when the path and all header conditions match, do the action.
 *
 * @param name empty when the user named none
 * @param headers ANDed, sorted by header name
 * @param policy timeout and retries; {@link RoutePolicyIr#NONE} leaves the client's defaults
 */
public record RouteIr(String name, TextMatchIr path, List<HeaderMatchIr> headers, RouteActionIr action,
                      RoutePolicyIr policy) {
    public RouteIr {
        headers = List.copyOf(headers);
    }

    /** The backends a {@link RouteActionIr.Forward} sends to; empty for other actions. */
    public List<WeightedBackendIr> backends() {
        return action instanceof RouteActionIr.Forward f ? f.backends() : List.of();
    }
}
