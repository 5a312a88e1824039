package meshlog.gatewayapi.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.model.StringMatch;
import meshlog.gatewayapi.model.VirtualService.HttpMatch;
import meshlog.gatewayapi.parse.SourceNode.MapNode;

/** Reads one entry of an HTTP route's {@code match[]} and Istio's {@code StringMatch}. */
final class HttpMatchReader {

    /** A header match written as null: Istio rejects it ({@code {}} asks for presence). */
    static final String NULL_HEADER_MATCH = "VS0205";

    private HttpMatchReader() {
    }

    /** Names mapped to string matches; a name written with {@code {}} only has to be present. */
    private record Keyed(Map<String, StringMatch> values, List<String> present) {
    }

    static HttpMatch match(Fields f) {
        Keyed headers = keyed(f, "headers", false);
        Keyed without = keyed(f, "withoutHeaders", true);
        Keyed query = keyed(f, "queryParams", true);
        return new HttpMatch(f.string("name"), optional(f, "uri"), optional(f, "scheme"), optional(f, "method"),
                optional(f, "authority"), headers.values(), headers.present(), without.values(), without.present(),
                query.values(), query.present(), f.integer("port", 0), f.stringMap("sourceLabels"),
                f.string("sourceNamespace"), f.strings("gateways"), Boolean.TRUE.equals(f.bool("ignoreUriCase")),
                f.string("statPrefix"));
    }

    /**
     * The match in field {@code key}; null when absent. An empty {@code {}} is read as absent too: for the path
     * Istio then matches every path, for scheme, method and authority it asks for a pseudo-header every request has.
     */
    private static StringMatch optional(Fields parent, String key) {
        Fields f = parent.object(key);
        if (f == null) {
            return null;
        }
        StringMatch sm = f.keys().isEmpty() ? null : stringMatch(f);
        f.end();
        return sm;
    }

    /**
     * A map of names (headers, query parameters) to matches. {@code {}} asks only for presence; so does null where
     * Istio reads it so ({@code nullIsPresence}), elsewhere null is an error.
     */
    private static Keyed keyed(Fields parent, String key, boolean nullIsPresence) {
        Map<String, StringMatch> values = new LinkedHashMap<>();
        List<String> present = new ArrayList<>();
        Fields m = parent.object(key);
        if (m == null) {
            return new Keyed(values, present);
        }
        for (String name : m.keys()) {
            SourceNode n = m.raw(name);
            if (n == null && !nullIsPresence) {
                m.error(NULL_HEADER_MATCH, name, "the match for \"" + name + "\" must not be null; write {} to ask"
                        + " only that the header is present");
            } else if (n == null || n instanceof MapNode map && map.entries().isEmpty()) {
                present.add(name);
            } else {
                Fields item = m.object(name); // reports a value that is not an object, read as empty
                StringMatch sm = n instanceof MapNode ? stringMatch(item) : null;
                item.end();
                if (sm != null) {
                    values.put(name, sm);
                }
            }
        }
        m.end();
        return new Keyed(values, present);
    }

    /** Exactly one of exact, prefix, regex; null (and reported) otherwise. The caller ends {@code f}. */
    static StringMatch stringMatch(Fields f) {
        String exact = f.string("exact");
        String prefix = f.string("prefix");
        String regex = f.string("regex");
        int given = (exact != null ? 1 : 0) + (prefix != null ? 1 : 0) + (regex != null ? 1 : 0);
        if (given != 1) {
            f.errorHere(VirtualServiceReader.STRING_MATCH, "exactly one of exact, prefix or regex must be set, got "
                    + given);
            return null;
        }
        if (exact != null) {
            return new StringMatch.Exact(exact);
        }
        return prefix != null ? new StringMatch.Prefix(prefix) : new StringMatch.Regex(regex);
    }
}
