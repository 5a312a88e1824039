package meshlog.gatewayapi.validate;

import java.time.Duration;
import meshlog.gatewayapi.Durations;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The value checks Istio's validation shares across kinds ({@code pkg/config/validation/agent}: ports, label names,
 * IPs, durations, percentages, exportTo; host names are in {@link ServiceChecks}). Each returns null when the value
 * is fine, otherwise the problem in words for a diagnostic's message.
 */
public final class Checks {

    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
    private static final Pattern HEADER_NAME = Pattern.compile("[-!#$%&'*+.^_`|~0-9A-Za-z]+");
    private static final Pattern ALL_DIGITS = Pattern.compile("[0-9]+");

    private Checks() {
    }

    public static boolean isDns1123Label(String s) {
        return s != null && s.length() <= 63 && DNS1123_LABEL.matcher(s).matches();
    }

    /** Kubernetes object names for most kinds: dot-separated DNS-1123 labels, at most 253 characters. */
    public static boolean isDns1123Subdomain(String s) {
        if (s == null || s.isEmpty() || s.length() > 253) {
            return false;
        }
        for (String label : s.split("\\.", -1)) {
            if (!isDns1123Label(label)) {
                return false;
            }
        }
        return true;
    }

    public static String port(long port) {
        return port >= 1 && port <= 65535 ? null : "port must be between 1-65535, got " + port;
    }

    /** A count or limit that is set must not be negative (null is not set). */
    public static String nonNegative(Number n) {
        return n == null || n.longValue() >= 0 ? null : "must not be negative, got " + n;
    }

    public static String percent(double value) {
        return value >= 0 && value <= 100 ? null : "must be between 0 and 100, got " + value;
    }

    public static boolean isIp(String s) {
        return isIpv4(s) || isIpv6(s);
    }

    public static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !ALL_DIGITS.matcher(p).matches() || Integer.parseInt(p) > 255
                    || (p.length() > 1 && p.startsWith("0"))) {
                return false;
            }
        }
        return true;
    }

    /**
     * An IPv6 literal ({@code 2001:db8::1}, {@code ::ffff:10.0.0.1}), parsed here rather than by
     * {@code InetAddress}, which falls back to a DNS lookup for strings it does not take as literals.
     */
    public static boolean isIpv6(String s) {
        if (s.length() < 2 || s.length() > 45 || !s.contains(":")) {
            return false;
        }
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return false;
        }
        String head = gap < 0 ? s : s.substring(0, gap);
        String tail = gap < 0 ? "" : s.substring(gap + 2);
        int groups = 0;
        for (String part : new String[] {head, tail}) {
            if (part.isEmpty()) {
                continue;
            }
            String[] fields = part.split(":", -1);
            for (int i = 0; i < fields.length; i++) {
                boolean last = part == tail || gap < 0 ? i == fields.length - 1 : false;
                if (last && fields[i].contains(".")) {
                    if (!isIpv4(fields[i])) {
                        return false;
                    }
                    groups += 2;
                } else if (fields[i].isEmpty() || fields[i].length() > 4 || !fields[i].matches("[0-9A-Fa-f]+")) {
                    return false;
                } else {
                    groups++;
                }
            }
        }
        return gap < 0 ? groups == 8 : groups <= 7;
    }

    /** An IP address or a CIDR block ({@code 10.0.0.0/8}, {@code 2001:db8::/32}). */
    public static String ipOrCidr(String s) {
        if (s == null || s.isEmpty()) {
            return "must not be empty";
        }
        int slash = s.indexOf('/');
        if (slash < 0) {
            return isIp(s) ? null : "\"" + s + "\" is not an IP address or CIDR block";
        }
        String ip = s.substring(0, slash);
        String bits = s.substring(slash + 1);
        int max = isIpv4(ip) ? 32 : isIpv6(ip) ? 128 : -1;
        if (max < 0 || !ALL_DIGITS.matcher(bits).matches() || bits.length() > 3 || Integer.parseInt(bits) > max) {
            return "\"" + s + "\" is not an IP address or CIDR block";
        }
        return null;
    }

    /** A Kubernetes label key: optional DNS-subdomain prefix and "/", then a name of at most 63 characters. */
    public static String labelKey(String key) {
        if (key == null || key.isEmpty()) {
            return "label key must not be empty";
        }
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (!isDns1123Subdomain(prefix)) {
                return "label key \"" + key + "\": prefix must be a DNS subdomain";
            }
        }
        if (name.isEmpty() || name.length() > 63 || !LABEL_NAME.matcher(name).matches()) {
            return "invalid label key \"" + key + "\"";
        }
        return null;
    }

    public static String labelValue(String value) {
        if (value == null || value.length() > 63 || !LABEL_NAME.matcher(value).matches()) {
            return "invalid label value \"" + value + "\"";
        }
        return null;
    }

    /** Every key and value of a label map; the first problem, or null. */
    public static String labels(Map<String, String> labels) {
        for (var e : labels.entrySet()) {
            String problem = labelKey(e.getKey());
            if (problem == null) {
                problem = labelValue(e.getValue());
            }
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** An HTTP header name (RFC 7230 token), lower- or upper-case. */
    public static boolean isHeaderName(String name) {
        return name != null && HEADER_NAME.matcher(name).matches();
    }

    /**
     * Istio's {@code ValidateDuration}: at least 1 ms and a whole number of milliseconds (Envoy works in ms).
     */
    public static String duration(Duration d) {
        if (d.compareTo(Duration.ofMillis(1)) < 0) {
            return "must be a valid duration greater than 1ms, got " + Durations.format(d);
        }
        if (d.getNano() % 1_000_000 != 0) {
            return "only durations to ms precision are supported, got " + Durations.format(d);
        }
        return null;
    }

    /**
     * Istio's {@code validateExportTo}: {@code .}, {@code *}, {@code ~} (ServiceEntry only, and alone) or namespace
     * names; no duplicates ({@code .} and the own namespace count as the same); {@code *} not with others.
     * Returns the first problem with the index it concerns as {@code [index, message]}, or null.
     */
    public static Object[] exportTo(List<String> exportTo, String ownNamespace, boolean tildeAllowed) {
        Set<String> seen = new HashSet<>();
        boolean star = false;
        for (int i = 0; i < exportTo.size(); i++) {
            String e = exportTo.get(i);
            String canonical = e.equals(".") ? ownNamespace : e;
            if (!seen.add(canonical)) {
                return new Object[] {i, "\"" + e + "\" is listed twice"};
            }
            if (e.equals("~")) {
                if (!tildeAllowed) {
                    return new Object[] {i, "\"~\" (visible to nobody) is allowed only on a ServiceEntry"};
                }
                if (exportTo.size() > 1) {
                    return new Object[] {i, "\"~\" must be the only entry"};
                }
            } else if (e.equals("*")) {
                star = true;
            } else if (!e.equals(".") && !isDns1123Label(e)) {
                return new Object[] {i, "\"" + e + "\" is not a namespace name, \".\" or \"*\""};
            }
        }
        if (star && exportTo.size() > 1) {
            return new Object[] {exportTo.indexOf("*"), "\"*\" cannot be combined with other entries"};
        }
        return null;
    }
}
