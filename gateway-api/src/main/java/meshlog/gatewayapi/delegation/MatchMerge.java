package meshlog.gatewayapi.delegation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.gatewayapi.model.StringMatch;
import meshlog.gatewayapi.model.VirtualService.HttpMatch;

/**
 * The {@code match[]} of a delegate route merged with the delegating route's, by Istio's rules
 * ({@code mergeHTTPMatchRequests}, {@code mergeHTTPMatchRequest}, {@code hasConflict}, {@code stringMatchConflict}
 * in {@code pilot/pkg/model/virtualservice.go}). A delegate entry may only narrow a root entry:
 *
 * <ul>
 *   <li>uri, scheme, method, authority, and each header, without-header and query parameter the delegate entry
 *       names that the root entry names too: a root exact needs the same exact; a root prefix needs a prefix or
 *       exact that starts with it; a regex on either side allows nothing on the other; any other pair (a presence
 *       match {@code {}} on either side, an empty prefix) conflicts, as in Istio.</li>
 *   <li>{@code ignoreUriCase} must agree; ports must agree when both are set; a root {@code sourceNamespace} must
 *       be the delegate's; {@code sourceLabels} must agree on shared keys; the delegate's {@code gateways} must be
 *       among the root's when both are set.</li>
 * </ul>
 *
 * A merged entry takes the delegate's values and the root's where the delegate sets none; headers, without-headers,
 * query parameters and source labels are the union (the delegate's value winning on a shared key).
 */
final class MatchMerge {

    private MatchMerge() {
    }

    /** @return null when some delegate entry fits no root entry (Istio drops the delegate route) */
    static List<HttpMatch> mergeAll(List<HttpMatch> root, List<HttpMatch> delegate) {
        if (root.isEmpty()) {
            return delegate;
        }
        if (delegate.isEmpty()) {
            return root;
        }
        List<HttpMatch> out = new ArrayList<>();
        for (HttpMatch leaf : delegate) {
            boolean found = false;
            for (HttpMatch r : root) {
                if (!conflict(r, leaf)) {
                    out.add(merge(r, leaf));
                    found = true;
                }
            }
            if (!found) {
                return null;
            }
        }
        return out;
    }

    static HttpMatch merge(HttpMatch root, HttpMatch leaf) {
        Map<String, StringMatch> headers = union(conditions(root.headers(), root.headersPresent()),
                conditions(leaf.headers(), leaf.headersPresent()));
        Map<String, StringMatch> without = union(conditions(root.withoutHeaders(), root.withoutHeadersPresent()),
                conditions(leaf.withoutHeaders(), leaf.withoutHeadersPresent()));
        Map<String, StringMatch> query = union(conditions(root.queryParams(), root.queryParamsPresent()),
                conditions(leaf.queryParams(), leaf.queryParamsPresent()));
        Map<String, String> labels = new TreeMap<>(root.sourceLabels());
        labels.putAll(leaf.sourceLabels());
        return new HttpMatch(RouteMerge.joined(root.name(), leaf.name()), or(leaf.uri(), root.uri()),
                or(leaf.scheme(), root.scheme()), or(leaf.method(), root.method()),
                or(leaf.authority(), root.authority()), values(headers), present(headers), values(without),
                present(without), values(query), present(query), leaf.port() != 0 ? leaf.port() : root.port(),
                labels, leaf.sourceNamespace().isEmpty() ? root.sourceNamespace() : leaf.sourceNamespace(),
                leaf.gateways().isEmpty() ? root.gateways() : leaf.gateways(), leaf.ignoreUriCase(),
                leaf.statPrefix().isEmpty() ? root.statPrefix() : leaf.statPrefix());
    }

    static boolean conflict(HttpMatch root, HttpMatch leaf) {
        if (conflict(root.uri() != null, root.uri(), leaf.uri() != null, leaf.uri())
                || conflict(root.scheme() != null, root.scheme(), leaf.scheme() != null, leaf.scheme())
                || conflict(root.method() != null, root.method(), leaf.method() != null, leaf.method())
                || conflict(root.authority() != null, root.authority(), leaf.authority() != null, leaf.authority())
                || conflict(conditions(root.headers(), root.headersPresent()),
                        conditions(leaf.headers(), leaf.headersPresent()))
                || conflict(conditions(root.withoutHeaders(), root.withoutHeadersPresent()),
                        conditions(leaf.withoutHeaders(), leaf.withoutHeadersPresent()))
                || conflict(conditions(root.queryParams(), root.queryParamsPresent()),
                        conditions(leaf.queryParams(), leaf.queryParamsPresent()))) {
            return true;
        }
        if (root.ignoreUriCase() != leaf.ignoreUriCase()
                || root.port() > 0 && leaf.port() > 0 && root.port() != leaf.port()
                || !root.sourceNamespace().isEmpty() && !leaf.sourceNamespace().equals(root.sourceNamespace())) {
            return true;
        }
        for (var e : leaf.sourceLabels().entrySet()) {
            String v = root.sourceLabels().get(e.getKey());
            if (v != null && !v.equals(e.getValue())) {
                return true;
            }
        }
        if (!root.gateways().isEmpty() && !leaf.gateways().isEmpty()) {
            return root.gateways().size() < leaf.gateways().size() || !root.gateways().containsAll(leaf.gateways());
        }
        return false;
    }

    /** Every condition the leaf names against the root's of the same name. */
    private static boolean conflict(Map<String, StringMatch> root, Map<String, StringMatch> leaf) {
        for (var e : leaf.entrySet()) {
            if (conflict(root.containsKey(e.getKey()), root.get(e.getKey()), true, e.getValue())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Istio's {@code stringMatchConflict}; a null match that is set is a presence match ({@code {}}), which has no
     * exact, prefix or regex, and so conflicts with anything but an absent condition.
     */
    static boolean conflict(boolean rootSet, StringMatch root, boolean leafSet, StringMatch leaf) {
        if (!rootSet || !leafSet) {
            return false;
        }
        String rootRegex = value(root, StringMatch.Regex.class);
        String rootPrefix = value(root, StringMatch.Prefix.class);
        String rootExact = value(root, StringMatch.Exact.class);
        String leafRegex = value(leaf, StringMatch.Regex.class);
        String leafPrefix = value(leaf, StringMatch.Prefix.class);
        String leafExact = value(leaf, StringMatch.Exact.class);
        if (!rootRegex.isEmpty() && !(leafRegex + leafPrefix + leafExact).isEmpty()) {
            return true;
        }
        if (!leafRegex.isEmpty() && !(rootRegex + rootPrefix + rootExact).isEmpty()) {
            return true;
        }
        if (!rootExact.isEmpty()) {
            return !leafPrefix.isEmpty() || !leafExact.equals(rootExact);
        }
        if (!rootPrefix.isEmpty()) {
            if (!leafPrefix.isEmpty()) {
                return !leafPrefix.startsWith(rootPrefix);
            }
            if (!leafExact.isEmpty()) {
                return !leafExact.startsWith(rootPrefix);
            }
        }
        return true;
    }

    /** The value when {@code m} is of {@code kind}, else empty (Go's {@code GetExact()} and the like). */
    private static String value(StringMatch m, Class<? extends StringMatch> kind) {
        return kind.isInstance(m) ? m.value() : "";
    }

    /** Headers, without-headers or query parameters as one map; a null value is a presence match ({@code {}}). */
    static Map<String, StringMatch> conditions(Map<String, StringMatch> values, List<String> present) {
        Map<String, StringMatch> out = new TreeMap<>(values);
        present.forEach(name -> out.put(name, null));
        return out;
    }

    private static Map<String, StringMatch> union(Map<String, StringMatch> root, Map<String, StringMatch> leaf) {
        Map<String, StringMatch> out = new TreeMap<>(root);
        out.putAll(leaf);
        return out;
    }

    private static Map<String, StringMatch> values(Map<String, StringMatch> conditions) {
        Map<String, StringMatch> out = new TreeMap<>();
        conditions.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static List<String> present(Map<String, StringMatch> conditions) {
        return conditions.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey).toList();
    }

    static HttpMatch withGateways(HttpMatch m, List<String> gateways) {
        return new HttpMatch(m.name(), m.uri(), m.scheme(), m.method(), m.authority(), m.headers(),
                m.headersPresent(), m.withoutHeaders(), m.withoutHeadersPresent(), m.queryParams(),
                m.queryParamsPresent(), m.port(), m.sourceLabels(), m.sourceNamespace(), gateways,
                m.ignoreUriCase(), m.statPrefix());
    }

    private static <T> T or(T first, T second) {
        return first != null ? first : second;
    }
}
