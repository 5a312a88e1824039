package meshlog.ops;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import meshlog.configstore.LogSafe;
import meshlog.gatewayapi.validate.Checks;

/**
 * Who may ask the admin server what, decided from the request line and two headers (pure, so every refusal is
 * tested without a socket). In order: bound to loopback, the {@code Host} header must name loopback or the bound
 * address (403; a DNS-rebinding page sends its own name); with a token, {@code Authorization: Bearer <token>} (401);
 * then only {@code GET} and {@code HEAD} (405; the admin API changes nothing).
 */
final class AdminAccess {

    /** Why a request is refused: status, one line of text, and the headers the status calls for. */
    record Refusal(int status, String message, Map<String, String> headers) {
    }

    static final Set<String> METHODS = Set.of("GET", "HEAD");

    private final boolean loopback;
    private final String bindHost;
    private final byte[] tokenDigest;

    /**
     * @param bindHost the address the server listens on, as given to {@code --bind}
     * @param token the bearer token every request must carry, or null for none
     */
    AdminAccess(String bindHost, String token) {
        this.loopback = isLoopback(bindHost);
        this.bindHost = normalise(bindHost);
        this.tokenDigest = token == null ? null : sha256(token);
    }

    /** Null when the request may be answered; {@code host} is the request's authority, with or without port. */
    Refusal check(String method, String host, String authorization) {
        if (loopback && !allowedHost(host)) {
            return new Refusal(403, "Host " + (host == null ? "(none)" : "\"" + LogSafe.value(host, 100) + "\"") + " is not a loopback"
                    + " name or address; this admin server is bound to loopback", Map.of());
        }
        if (tokenDigest != null && !tokenMatches(authorization)) {
            return new Refusal(401, "this admin server needs Authorization: Bearer <token> (--admin-token-file)",
                    Map.of("WWW-Authenticate", "Bearer realm=\"meshlog-admin\""));
        }
        if (!METHODS.contains(method)) {
            return new Refusal(405, "method " + method + " not allowed: the admin API is read-only (GET, HEAD)",
                    Map.of("Allow", "GET, HEAD"));
        }
        return null;
    }

    /**
     * Whether an address given to {@code --bind} is loopback: parsed, so {@code 127.0.0.1}, {@code ::1},
     * {@code ::ffff:127.0.0.1} and {@code localhost} are, and {@code 127.evil.example} is not. A name is
     * resolved once, at start-up (the server is about to listen on it anyway); an unknown one is not loopback.
     */
    static boolean isLoopback(String bindHost) {
        String h = normalise(bindHost);
        if (h.equals("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A Host header's name, with its port and IPv6 brackets taken off: {@code [::1]:15014} → {@code ::1}. */
    static String hostName(String header) {
        String h = header.strip();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(1, end);
        }
        int colon = h.indexOf(':');
        return colon >= 0 && h.indexOf(':', colon + 1) < 0 ? h.substring(0, colon) : h;
    }

    /** {@code localhost}, the bound address, or a loopback IP literal; never looked up in DNS. */
    private boolean allowedHost(String header) {
        if (header == null) {
            return false;
        }
        String h = normalise(hostName(header));
        if (h.equals("localhost") || h.equals(bindHost)) {
            return true;
        }
        if (!Checks.isIpv4(h) && !Checks.isIpv6(h)) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress(); // a literal: parsed, not resolved
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private boolean tokenMatches(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // Digests of equal length, compared in constant time: neither the token nor its length leaks by timing.
        return MessageDigest.isEqual(tokenDigest, sha256(authorization.substring(7).strip()));
    }

    private static String normalise(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
