package meshlog.reconciler.ir;

import java.util.List;

/**
 * When a route applies: every condition holds (ANDed).
 *
 * @param ignoreCase the path is compared case-insensitively (Istio's {@code ignoreUriCase})
 * @param headers sorted by name, pseudo-headers first
 * @param queryParams sorted by name
 */
public record RouteMatchIr(TextMatchIr path, boolean ignoreCase, List<HeaderMatchIr> headers,
                           List<QueryMatchIr> queryParams) {

    public static final RouteMatchIr ANY = new RouteMatchIr(TextMatchIr.ANY_PATH, false, List.of(), List.of());

    public RouteMatchIr {
        headers = List.copyOf(headers);
        queryParams = List.copyOf(queryParams);
    }
}
