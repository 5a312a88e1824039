package meshlog.ca;

import java.util.regex.Pattern;

/**
 * Checks the names that end up in a SPIFFE ID or in a directory name. A cluster name becomes
 * {@code clusters/<cluster>/}, so anything that could escape that directory ({@code /}, {@code ..}, an empty
 * name) must be rejected before it reaches the file system.
 */
final class Names {

    /** DNS-1123 subdomain, as Kubernetes uses for namespaces and service accounts. */
    private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    /** SPIFFE trust domain: lowercase letters, digits, '.', '-' and '_'. */
    private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]+");
    private static final int MAX_LENGTH = 253;

    private Names() {
    }

    static String cluster(String value) {
        return dnsName("cluster", value);
    }

    static String namespace(String value) {
        return dnsName("namespace", value);
    }

    static String serviceAccount(String value) {
        return dnsName("service account", value);
    }

    static String trustDomain(String value) {
        if (value == null || value.isEmpty() || value.length() > 255 || !TRUST_DOMAIN.matcher(value).matches()
                || value.contains("..")) {
            throw new IllegalArgumentException("trust domain " + quote(value)
                    + " is not valid: use lowercase letters, digits, '.', '-' and '_' (e.g. cluster.local)");
        }
        return value;
    }

    static String spiffeId(String trustDomain, String namespace, String serviceAccount) {
        return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
    }

    private static String dnsName(String what, String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH || !DNS_NAME.matcher(value).matches()
                || value.contains("..")) {
            throw new IllegalArgumentException(what + " name " + quote(value)
                    + " is not valid: use lowercase letters, digits, '-' and '.', starting and ending with a letter"
                    + " or digit, no '..', at most " + MAX_LENGTH + " characters");
        }
        return value;
    }

    private static String quote(String value) {
        return value == null ? "null" : '"' + value + '"';
    }
}
