package meshlog.reconciler.ir;

import java.util.List;

/**
 * One rule: when the path and all header conditions match, send the call to the backends.
 *
 * @param name empty when the user named none
 * @param headers ANDed, sorted by header name
 * @param backends one (weight then unused) or several with weights above 0
 */
public record RouteIr(String name, TextMatchIr path, List<HeaderMatchIr> headers, List<WeightedBackendIr> backends) {
    public RouteIr {
        headers = List.copyOf(headers);
        backends = List.copyOf(backends);
    }
}
