package meshlog.gatewayapi.validate;

import java.util.regex.Pattern;

/**
 * Value checks of the Gateway API's own types ({@code shared_types.go}: Hostname, Group, Kind, Namespace,
 * SectionName, HeaderName, ...), as their CRD patterns and lengths define them. Each returns null when the value is
 * fine, otherwise the problem in words.
 */
public final class KubeValueChecks {

    private static final Pattern HOSTNAME =
            Pattern.compile("(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern KIND = Pattern.compile("[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?");

    private KubeValueChecks() {
    }

    /** A route or listener hostname: lower-case DNS name, optionally {@code *.}-prefixed, not an IP address. */
    public static String hostname(String host) {
        if (host == null || host.isEmpty()) {
            return "hostname must not be empty";
        }
        if (host.length() > 253) {
            return "hostname \"" + host + "\" is longer than 253 characters";
        }
        if (Checks.isIp(host)) {
            return "hostname \"" + host + "\" is an IP address; the Gateway API allows host names only";
        }
        if (!HOSTNAME.matcher(host).matches()) {
            return "invalid hostname \"" + host + "\": lower-case DNS labels separated by dots, optionally"
                    + " starting with the wildcard label \"*.\"";
        }
        return null;
    }

    /** A hostname without wildcard (redirect and rewrite targets). */
    public static String preciseHostname(String host) {
        if (host != null && host.startsWith("*")) {
            return "hostname \"" + host + "\" must not be a wildcard";
        }
        return hostname(host);
    }

    /** An API group: empty (the core group) or a lower-case DNS subdomain. */
    public static String group(String group) {
        if (group.isEmpty() || (group.length() <= 253 && Checks.isDns1123Subdomain(group))) {
            return null;
        }
        return "invalid group \"" + group + "\": empty (core) or a DNS subdomain like gateway.networking.k8s.io";
    }

    /** A kind: a letter, then letters, digits and dashes, at most 63 characters. */
    public static String kind(String kind) {
        if (kind == null || kind.isEmpty()) {
            return "kind is required";
        }
        if (kind.length() > 63 || !KIND.matcher(kind).matches()) {
            return "invalid kind \"" + kind + "\"";
        }
        return null;
    }

    /** A namespace name (DNS-1123 label). */
    public static String namespace(String namespace) {
        return Checks.isDns1123Label(namespace) ? null
                : "invalid namespace \"" + namespace + "\": a DNS-1123 label (lower case, digits, '-')";
    }

    /** An object name: 1 to 253 characters. */
    public static String objectName(String name) {
        if (name == null || name.isEmpty()) {
            return "name is required";
        }
        return name.length() > 253 ? "name is longer than 253 characters" : null;
    }

    /** A section name (listener, rule or port name): a DNS subdomain. */
    public static String sectionName(String name) {
        return Checks.isDns1123Subdomain(name) ? null
                : "invalid name \"" + name + "\": lower-case DNS labels separated by dots";
    }

    /** An HTTP header or query parameter name: an RFC 7230 token of at most 256 characters. */
    public static String headerName(String name) {
        if (name == null || name.isEmpty()) {
            return "name is required";
        }
        return name.length() <= 256 && Checks.isHeaderName(name) ? null
                : "invalid header name \"" + name + "\" (an RFC 7230 token; pseudo-headers like :path are not allowed)";
    }

    /**
     * Whether a RegularExpression value is RE2 that compiles: Istio hands it to Envoy as is, so the check is the
     * VirtualService's ({@link RegexChecks#re2Syntax}); the length limits are the CRD's, checked by the callers.
     */
    public static String regex(String regex) {
        String problem = RegexChecks.re2Syntax(regex);
        return problem == null ? null : "invalid regular expression \"" + regex + "\": " + problem;
    }
}
