package meshlog.gatewayapi.validate;

import java.util.Locale;
import java.util.Set;

/**
 * Checks on listeners shared by Gateway servers and Sidecar listeners (Istio's {@code validateServer*},
 * {@code validateSidecar*}, {@code ValidateNamespaceSlashWildcardHostname}, {@code ValidateUnixAddress},
 * {@code security.IsValidCipherSuite}). Each check returns null when the value is fine, otherwise the problem in
 * words.
 */
public final class ListenerChecks {

    /** A {@code bind} of this form listens on a Unix domain socket. */
    public static final String UNIX_PREFIX = "unix://";

    /** The cipher names Envoy (BoringSSL) knows, as Istio lists them; others are dropped with a warning. */
    private static final Set<String> CIPHER_SUITES = Set.of("ECDHE-ECDSA-AES128-GCM-SHA256",
            "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
            "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305", "ECDHE-ECDSA-AES128-SHA",
            "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES256-SHA", "AES128-GCM-SHA256",
            "AES256-GCM-SHA384", "AES128-SHA", "AES256-SHA", "DES-CBC3-SHA");

    private ListenerChecks() {
    }

    /** Istio's port protocols ({@code protocol.Parse}: case-insensitive; anything else is unsupported). */
    public enum Protocol {
        TCP, UDP, GRPC, GRPC_WEB, HTTP, HTTP_PROXY, HTTP2, HTTPS, TLS, MONGO, REDIS, MYSQL, UNSUPPORTED;

        public static Protocol parse(String s) {
            String upper = s == null ? "" : s.toUpperCase(Locale.ROOT);
            if (upper.equals("GRPC-WEB")) {
                return GRPC_WEB;
            }
            for (Protocol p : values()) {
                if (p != UNSUPPORTED && p != GRPC_WEB && p.name().equals(upper)) {
                    return p;
                }
            }
            return UNSUPPORTED;
        }

        /** Carried over HTTP: routed by VirtualService http routes. */
        public boolean isHttp() {
            return this == HTTP || this == HTTP2 || this == HTTP_PROXY || this == GRPC || this == GRPC_WEB;
        }

        /** Carried over TLS: the server needs TLS settings. */
        public boolean isTls() {
            return this == HTTPS || this == TLS;
        }
    }

    static final String PROTOCOLS = "HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, HTTP_PROXY, TCP, TLS, UDP, MONGO, REDIS, "
            + "MYSQL (any case)";

    /** A listener's {@code bind}: empty, an IP address, or {@code unix://} and a socket path. */
    public static String bind(String bind) {
        if (bind.startsWith(UNIX_PREFIX)) {
            return ServiceChecks.unixAddress(bind.substring(UNIX_PREFIX.length()));
        }
        if (!bind.isEmpty() && !Checks.isIp(bind)) {
            return "\"" + bind + "\" is not a valid IP address (or unix:// socket path)";
        }
        return null;
    }

    /**
     * Istio's {@code ValidateNamespaceSlashWildcardHostname}: {@code namespace/host}, where the namespace is a DNS
     * label, {@code *} or {@code .} and the host a FQDN with an optional {@code *.} prefix, or {@code *}. A Sidecar
     * also takes {@code ~} alone or before a namespace name (Istio 1.31: an exclusion, {@code ~ns1/*} imports
     * nothing of ns1); a Gateway also accepts a plain host (all namespaces) and an IP address.
     */
    public static String namespacedHost(String host, boolean gateway) {
        int slash = host.indexOf('/');
        if (slash < 0) {
            return gateway ? hostPart(host, true) : "host \"" + host + "\" must be of the form namespace/dnsName";
        }
        String ns = host.substring(0, slash);
        String name = host.substring(slash + 1);
        if (ns.isEmpty() || name.isEmpty()) {
            return "host \"" + host + "\": the namespace and the dnsName must both be given";
        }
        // a Sidecar may exclude: "~ns1/*" takes every host of ns1 out, "~/foo.com" takes foo.com out everywhere
        boolean exclusion = !gateway && ns.startsWith("~");
        String named = exclusion ? ns.substring(1) : ns;
        boolean nsOk = exclusion ? named.isEmpty() || ServiceChecks.isDnsLabel(named)
                : ns.equals("*") || ns.equals(".") || ServiceChecks.isDnsLabel(ns);
        if (!nsOk) {
            return "host \"" + host + "\": invalid namespace \"" + ns + "\"; use a namespace name, \"*\" or \".\""
                    + (gateway ? "" : ", or \"~\" before a namespace name (or alone) to exclude hosts");
        }
        return hostPart(name, gateway);
    }

    private static String hostPart(String name, boolean gateway) {
        if (!name.equals("*") && !name.contains(".")) {
            return "short name \"" + name + "\" is not allowed: write the fully qualified name";
        }
        if (name.contains("*") && name.length() != 1 && !name.startsWith("*.")) {
            return "partial wildcard \"" + name + "\" is not allowed: only a whole first label \"*.\" may be one";
        }
        if (Checks.isIp(name)) {
            return gateway ? null : "\"" + name + "\" is an IP address, not a host name";
        }
        return ServiceChecks.wildcardDomain(name);
    }

    /**
     * Istio's {@code IsValidCipherSuite}: a name Envoy knows, {@code ALL}, or an expression starting with an
     * operator ({@code -}, {@code +}, {@code !}, {@code [}) that is passed through unchecked.
     */
    public static boolean isValidCipherSuite(String cipher) {
        if (cipher.isEmpty() || cipher.equals("ALL")) {
            return true;
        }
        if (!Character.isLetterOrDigit(cipher.codePointAt(0))) {
            return true;
        }
        return CIPHER_SUITES.contains(cipher);
    }
}
