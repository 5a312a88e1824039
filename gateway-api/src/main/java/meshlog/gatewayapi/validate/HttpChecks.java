package meshlog.gatewayapi.validate;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks of HTTP names and values that Istio's validation applies wherever routes are written (its
 * {@code ValidateHTTPHeader*} helpers and Envoy's header-value format). Each returns null when the value is fine,
 * otherwise the problem in words.
 */
public final class HttpChecks {

    /** The prefix of a header key that routes on a JWT claim ({@code @request.auth.claims.group}). */
    public static final String JWT_CLAIM_PREFIX = "@request.auth.claims";
    private static final Set<String> PSEUDO_HEADERS = Set.of(":method", ":scheme", ":authority", ":path",
            ":status");
    private static final Set<String> CORS_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
            "CONNECT", "OPTIONS", "TRACE", "*");

    /** The HTTP status codes with a registered name (those Go's {@code http.StatusText} knows). */
    private static final Set<Integer> KNOWN_STATUS = knownStatus();

    private HttpChecks() {
    }

    /** Whether {@code text} is a registered HTTP status code, like {@code 503}. */
    public static boolean isKnownStatus(String text) {
        return text.matches("[1-5][0-9][0-9]") && KNOWN_STATUS.contains(Integer.parseInt(text));
    }

    private static Set<Integer> knownStatus() {
        Set<Integer> s = new java.util.HashSet<>(List.of(100, 101, 102, 103, 226, 421, 422, 423, 424, 425, 426,
                428, 429, 431, 451, 510, 511));
        for (int[] range : new int[][] {{200, 208}, {300, 308}, {400, 418}, {500, 508}}) {
            for (int c = range[0]; c <= range[1]; c++) {
                s.add(c);
            }
        }
        s.remove(306); // reserved, unnamed
        return Set.copyOf(s);
    }

    /** Whether {@code name} routes on a JWT claim: {@code @request.auth.claims.a.b} or {@code ...claims[a][b]}. */
    public static boolean isJwtClaimKey(String name) {
        if (!name.startsWith(JWT_CLAIM_PREFIX)) {
            return false;
        }
        String rest = name.substring(JWT_CLAIM_PREFIX.length());
        return rest.length() > 1 && (rest.startsWith(".") || rest.matches("(\\[[^\\[\\]]+])+"));
    }

    /** A header name in a match: a token, a pseudo-header or a JWT claim key. */
    public static String matchHeaderName(String name) {
        if (name.isEmpty()) {
            return "the header name must not be empty";
        }
        if (isJwtClaimKey(name) || PSEUDO_HEADERS.contains(name) || Checks.isHeaderName(name)) {
            return null;
        }
        return "\"" + name + "\" is not a valid header name";
    }

    /** A header a request may set or add to: any but pseudo-headers other than {@code :authority}. */
    public static String requestHeaderToSet(String name) {
        if (name.isEmpty()) {
            return "the header name must not be empty";
        }
        if (name.startsWith(":") && !isAuthority(name)) {
            return "the header \"" + name + "\" cannot be changed: a name starting with \":\" is a pseudo-header";
        }
        return null;
    }

    /** A header removed from a request or changed in a response: neither {@code host} nor a pseudo-header. */
    public static String headerToChange(String name) {
        if (name.isEmpty()) {
            return "the header name must not be empty";
        }
        if (name.equalsIgnoreCase("host")) {
            return "the header \"" + name + "\" cannot be changed here";
        }
        if (name.startsWith(":")) {
            return "the header \"" + name + "\" cannot be changed: a name starting with \":\" is a pseudo-header";
        }
        return null;
    }

    /** {@code :authority} or {@code host}, in any case. */
    public static boolean isAuthority(String name) {
        return name.equalsIgnoreCase(":authority") || name.equalsIgnoreCase("host");
    }

    /** A header name in a CORS policy: a token or {@code *}. */
    public static String corsHeaderName(String name) {
        if (name.isEmpty()) {
            return "the header name must not be empty";
        }
        return name.equals("*") || Checks.isHeaderName(name) ? null : "\"" + name + "\" is not a valid header name";
    }

    public static String corsMethod(String method) {
        return CORS_METHODS.contains(method) ? null : "\"" + method + "\" is not an HTTP method CORS allows ("
                + "GET, HEAD, POST, PUT, PATCH, DELETE, CONNECT, OPTIONS, TRACE or *)";
    }

    /**
     * A header value as Envoy reads it: no control characters but tab, and every {@code %} either doubled
     * ({@code %%}) or opening a variable that is closed: {@code %HOSTNAME%}, or with arguments in parentheses,
     * {@code %REQ(x-id)%} or a JSON array of strings {@code %REQ(["x-id"])%} (Istio's {@code validateHeaderValue}, a
     * port of Envoy's header parser).
     */
    public static String headerValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                return "the header value contains the control character U+"
                        + String.format(Locale.ROOT, "%04X", (int) c);
            }
        }
        String problem = HeaderValueParser.problem(value);
        return problem == null ? null : "the header value \"" + value + "\" " + problem;
    }
}
