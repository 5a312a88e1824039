package meshlog.gatewayapi.validate;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Istio's host-name and DNS-label checks ({@code agent.ValidateWildcardDomain}, {@code ValidateFQDN},
 * {@code labels.IsDNS1123Label}), used by every kind that names hosts, and other value checks the DestinationRule,
 * ServiceEntry and WorkloadEntry rules share. The DNS-label test allows upper case; the host test allows any first
 * label that starts with {@code *} ({@code *x} is a "partial wildcard", which some kinds refuse or warn about
 * separately), and an IP address is not a host name (callers that take IPs, like VirtualService hosts, say so). Each
 * returns null when the value is fine, otherwise the problem in words.
 */
public final class ServiceChecks {

    private static final Pattern LABEL = Pattern.compile("[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?");
    private static final Pattern WILDCARD_LABEL = Pattern.compile(
            "\\*|(?:\\*|\\*-)?[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?");
    private static final Pattern ALL_DIGITS = Pattern.compile("[0-9]+");
    private static final String OUTBOUND_SNI_PREFIX = "outbound_";
    private static final String OUTBOUND_SNI_FORM = "outbound_.<port>_._.<hostname>";

    /** Istio's {@code protocol.Parse} names (case-insensitive); anything else is "unsupported". */
    public static final Set<String> PROTOCOLS = Set.of("HTTP", "HTTPS", "HTTP2", "HTTP_PROXY", "GRPC", "GRPC-WEB",
            "TCP", "TLS", "UDP", "MONGO", "REDIS", "MYSQL");

    private ServiceChecks() {
    }

    /** Istio's {@code labels.IsDNS1123Label}: like Kubernetes' but upper case is allowed. */
    public static boolean isDnsLabel(String s) {
        return s != null && s.length() <= 63 && LABEL.matcher(s).matches();
    }

    /** Istio's {@code ValidateWildcardDomain}: a host name whose first label may be or start with {@code *}. */
    public static String wildcardDomain(String host) {
        String problem = preconditions(host);
        if (problem != null) {
            return problem;
        }
        int dot = host.indexOf('.');
        String first = dot < 0 ? host : host.substring(0, dot);
        if (first.length() > 63 || !WILDCARD_LABEL.matcher(first).matches()) {
            return "domain name \"" + host + "\" invalid (label \"" + first + "\" invalid)";
        }
        return dot < 0 ? null : dnsLabels(host, host.substring(dot + 1));
    }

    /**
     * Istio's {@code ValidateWildcardDomainForVirtualServiceBoundToGateway} with SNI matches: besides a wildcard
     * domain, the name an east-west gateway routes by in AUTO_PASSTHROUGH mode, {@code outbound_.<port>_._.<host>}.
     * Istio splits such a name at {@code _} and asks only for four parts, the first {@code outbound}, a digit in
     * the port part and a letter in the host part; the labels around the underscores are not checked further.
     */
    public static String sniDomain(String host) {
        String problem = preconditions(host);
        if (problem != null) {
            return problem;
        }
        if (!host.startsWith(OUTBOUND_SNI_PREFIX)) {
            return wildcardDomain(host);
        }
        String[] parts = host.split("_", -1);
        if (parts.length < 4) {
            return "domain name \"" + host + "\" invalid: an SNI name must have the form " + OUTBOUND_SNI_FORM;
        }
        String port = trimDots(parts[1]);
        String name = trimDots(parts[3]);
        if (port.chars().noneMatch(Character::isDigit)) {
            return "domain name \"" + host + "\" invalid (port \"" + port + "\"): the form is " + OUTBOUND_SNI_FORM;
        }
        if (name.chars().noneMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
            return "domain name \"" + host + "\" invalid (host \"" + name + "\"): the form is " + OUTBOUND_SNI_FORM;
        }
        return null;
    }

    private static String trimDots(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == '.') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == '.') {
            to--;
        }
        return s.substring(from, to);
    }

    /** Istio's {@code ValidateFQDN}: a host name without wildcards (an IP fails: its last label is all digits). */
    public static String fqdn(String host) {
        String problem = preconditions(host);
        return problem != null ? problem : dnsLabels(host, host);
    }

    /** Istio's {@code ValidatePartialWildCard}: {@code *} only as the whole host or a leading {@code *.} label. */
    public static String partialWildcard(String host) {
        if (host.contains("*") && host.length() != 1 && !host.startsWith("*.")) {
            return "partial wildcard \"" + host + "\" not allowed";
        }
        return null;
    }

    private static String preconditions(String host) {
        if (host == null || host.isEmpty()) {
            return "empty domain name not allowed";
        }
        return host.length() > 255 ? "domain name \"" + host + "\" too long (max 255)" : null;
    }

    /** Every label of {@code labels} (a suffix of {@code host}); a trailing dot is allowed. */
    private static String dnsLabels(String host, String labels) {
        String[] parts = labels.split("\\.", -1);
        String top = parts[parts.length - 1];
        if (ALL_DIGITS.matcher(top).matches()) {
            return "domain name \"" + host + "\" invalid (top level domain \"" + top + "\" cannot be all-numeric)";
        }
        for (int i = 0; i < parts.length; i++) {
            if (i == parts.length - 1 && parts[i].isEmpty()) {
                return null;
            }
            if (!isDnsLabel(parts[i])) {
                return "domain name \"" + host + "\" invalid (label \"" + parts[i] + "\" invalid)";
            }
        }
        return null;
    }

    /** An address is an IP literal (what a STATIC endpoint must be). */
    public static boolean isIp(String s) {
        return s != null && Checks.isIp(s);
    }

    /**
     * Istio's {@code ValidateUnixAddress} for what follows {@code unix://} (an endpoint address, a listener's bind, a
     * Sidecar's default endpoint): an abstract socket ({@code @name}) or an absolute path to a file (not a directory).
     */
    public static String unixAddress(String path) {
        if (path.isEmpty()) {
            return "unix address must not be empty";
        }
        if (path.startsWith("@")) {
            return null;
        }
        if (!path.startsWith("/") || path.endsWith("/")) {
            return "\"" + path + "\" is not an absolute path to a file (or an abstract socket \"@name\")";
        }
        return null;
    }

    /** Istio's {@code isPrime} (as Envoy's): what Maglev needs of its table size. */
    public static boolean isPrime(long x) {
        if (x != 0 && x < 4) {
            return true;
        }
        if ((x & 1) == 0) {
            return false;
        }
        for (long factor = 3; factor * factor <= x; factor += 2) {
            if (x % factor == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Istio's {@code validateLocalities}: each is {@code region[/zone[/subzone]]} with no empty part, at most one
     * {@code *} and only at the end, and none overlaps an earlier one ({@code us} covers {@code us/a}).
     */
    public static String localities(List<String> localities) {
        Map<String, Map<String, Set<String>>> seen = new HashMap<>();
        for (String locality : localities) {
            long stars = locality.chars().filter(c -> c == '*').count();
            if (stars > 1 || (stars == 1 && !locality.endsWith("*"))) {
                return "locality " + locality + ": a wildcard '*' may appear once, at the end";
            }
            if (seen.containsKey("*")) {
                return "locality " + locality + " overlaps with one given before";
            }
            String[] parts = locality.split("/", 3);
            for (String part : parts) {
                if (part.isEmpty()) {
                    return "locality " + locality + " must not have an empty region, zone or subzone";
                }
            }
            if (!addLocality(seen, parts)) {
                return "locality " + locality + " overlaps with one given before";
            }
        }
        return null;
    }

    private static boolean addLocality(Map<String, Map<String, Set<String>>> seen, String[] parts) {
        Map<String, Set<String>> zones = seen.get(parts[0]);
        if (parts.length == 1) {
            if (zones != null) {
                return false;
            }
            seen.put(parts[0], Map.of("*", Set.of("*")));
            return true;
        }
        if (zones == null) {
            zones = new HashMap<>();
            seen.put(parts[0], zones);
        } else if (zones.containsKey("*")) {
            return false;
        }
        Set<String> subzones = zones.get(parts[1]);
        if (parts.length == 2) {
            if (subzones != null) {
                return false;
            }
            zones.put(parts[1], Set.of("*"));
            return true;
        }
        if (subzones == null) {
            subzones = new java.util.HashSet<>();
            zones.put(parts[1], subzones);
        } else if (subzones.contains("*") || subzones.contains(parts[2])) {
            return false;
        }
        subzones.add(parts[2]);
        return true;
    }

    /** Whether {@code protocol} (upper-cased) is a name Istio knows; empty means "sniff" and is allowed. */
    public static boolean isKnownProtocol(String protocol) {
        return protocol.isEmpty() || PROTOCOLS.contains(protocol.toUpperCase(Locale.ROOT));
    }

    /** Istio's {@code Protocol.IsHTTP}: HTTP, HTTP2, HTTP_PROXY, GRPC, GRPC-WEB. */
    public static boolean isHttp(String protocol) {
        return Set.of("HTTP", "HTTP2", "HTTP_PROXY", "GRPC", "GRPC-WEB").contains(protocol);
    }

    /** Istio's {@code Protocol.IsTLS}: HTTPS and TLS. */
    public static boolean isTls(String protocol) {
        return protocol.equals("HTTPS") || protocol.equals("TLS");
    }

    /** Istio's {@code Protocol.IsTCP}: every protocol but UDP and unknown ones (and not unset). */
    public static boolean isTcp(String protocol) {
        return PROTOCOLS.contains(protocol) && !protocol.equals("UDP");
    }
}
