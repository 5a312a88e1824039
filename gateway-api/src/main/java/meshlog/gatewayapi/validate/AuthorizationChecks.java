package meshlog.gatewayapi.validate;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Value checks of AuthorizationPolicy fields, after Istio's {@code pkg/config/security}: ports, service
 * accounts, path templates and the attribute keys of {@code when} conditions. Each returns null when the value is
 * fine, otherwise the problem in words.
 */
final class AuthorizationChecks {

    static final int MAX_SERVICE_ACCOUNTS = 16;
    private static final String MATCH_ONE = "{*}";
    private static final String MATCH_ANY = "{**}";
    /** RFC 3986 pchar, what Envoy's URI template matcher accepts between slashes. */
    private static final Pattern LITERAL = Pattern.compile("^[a-zA-Z0-9-._~%!$&'()+,;:@=]+$");
    /** Attributes whose values are matched as given. */
    private static final List<String> PLAIN_KEYS = List.of("source.namespace", "source.principal",
            "source.trustDomain", "request.auth.principal", "request.auth.audiences", "request.auth.presenter",
            "connection.sni");
    /** Attributes written {@code name[sub]}. */
    private static final List<String> MAP_KEY_PREFIXES = List.of("request.headers",
            "request.experimental.inline.headers", "request.auth.claims", "experimental.envoy.filters.");

    /** How the values of a known {@code when} key, or of a source or operation field, are checked. */
    enum ValueKind { ANY, IP, PORT, SERVICE_ACCOUNT, PATH }

    private AuthorizationChecks() {
    }

    /** A port as AuthorizationPolicy writes it: a decimal number 0..65535 in a string. */
    static String port(String port) {
        if (port.isEmpty() || port.length() > 10 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                || Long.parseLong(port) > 65535) {
            return "bad port \"" + port + "\": must be a number between 0 and 65535";
        }
        return null;
    }

    /** One service account: {@code name} or {@code namespace/name}, no wildcard, at most 320 characters. */
    static String serviceAccount(String value) {
        if (value.contains("*")) {
            return "wildcard not allowed in service account \"" + value + "\"";
        }
        if (value.length() > 320) {
            return "service account cannot exceed 320 characters";
        }
        int slash = value.indexOf('/');
        if (slash != value.lastIndexOf('/') || slash == 0 || slash == value.length() - 1) {
            return "expected format 'serviceAccount' or 'namespace/serviceAccount', found \"" + value + "\"";
        }
        return null;
    }

    /**
     * Istio's {@code CheckValidPathTemplate} for a path using Envoy's URI templates ({@code /a/{*}/b},
     * {@code /a/{**}}): only {@code {*}} and {@code {**}} as whole segments, {@code {**}} as the last template
     * operator, other segments plain characters. In every path, template or not, a brace outside {@code {*}} and
     * {@code {**}} is refused ({@code /api/{id}}), as Istio has done since it added the literal check; the other
     * segments of a path without a template are not checked (it is an exact, prefix or suffix match).
     */
    static String pathTemplate(String path) {
        boolean template = path.contains(MATCH_ONE) || path.contains(MATCH_ANY);
        boolean seenAny = false;
        for (String glob : trimSlashes(path).split("/", -1)) {
            if (glob.equals(MATCH_ONE) || glob.equals(MATCH_ANY)) {
                if (seenAny) {
                    return "invalid or unsupported path template \"" + path + "\": {**} must be the last operator";
                }
                seenAny = glob.equals(MATCH_ANY);
                continue;
            }
            if (glob.contains("{") || glob.contains("}")) {
                return "invalid or unsupported path template \"" + path + "\": only {*} and {**} may be used, "
                        + "each as a whole path segment";
            }
            if (template && !LITERAL.matcher(glob).matches()) {
                return "invalid or unsupported path template \"" + path + "\": segment \"" + glob
                        + "\" is not a valid literal";
            }
        }
        return null;
    }

    /**
     * What a {@code when} key holds, or the problem with the key (Istio's {@code ValidateAttribute}); the result
     * is a {@link ValueKind} or a String message.
     */
    static Object attribute(String key) {
        for (String prefix : MAP_KEY_PREFIXES) {
            if (key.startsWith(prefix)) {
                int open = key.indexOf('[');
                return key.endsWith("]") && open > 0 && open < key.length() - 2 ? ValueKind.ANY
                        : "bad key \"" + key + "\": should have format a[b]";
            }
        }
        if (PLAIN_KEYS.contains(key)) {
            return ValueKind.ANY;
        }
        switch (key) {
            case "source.ip", "remote.ip", "destination.ip":
                return ValueKind.IP;
            case "destination.port":
                return ValueKind.PORT;
            case "source.serviceAccount":
                return ValueKind.SERVICE_ACCOUNT;
            case "destination.namespace":
                return "attribute " + key + " is replaced by the metadata.namespace";
            case "destination.name", "destination.user":
                return "deprecated attribute " + key + ": only supported in v1alpha1";
            default:
                return key.startsWith("destination.labels") ? "attribute " + key + " is replaced by the workload "
                        + "selector" : "unknown attribute: " + key;
        }
    }

    private static String trimSlashes(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }
}
