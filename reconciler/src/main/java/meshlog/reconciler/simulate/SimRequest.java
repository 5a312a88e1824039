package meshlog.reconciler.simulate;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A synthetic request leaving an application through its sidecar: where it connects ({@code destination}, an IP
 * literal, and {@code port}), from where ({@code source}), HTTP or TCP, for HTTP the authority, path (with query),
 * method and headers (names lower-cased), for TLS the SNI, and whether iptables captures the connection (REDIRECT)
 * or the application dials a bound listener itself (NONE). Build with {@link #http}, {@link #tcp}, {@link #tls}
 * and the {@code with…} copies.
 */
public record SimRequest(String destination, int port, Protocol protocol, String authority, String path,
                         String method, Map<String, String> headers, String sni, String source, boolean captured) {

    /** What the application speaks on the connection. */
    public enum Protocol { HTTP, TCP }

    /** The source address when a test does not name one: a pod address outside every prefix meshlog emits. */
    public static final String DEFAULT_SOURCE = "10.244.0.9";

    public SimRequest {
        headers = Map.copyOf(lower(headers));
        path = path == null ? "" : path;
        method = method == null ? "GET" : method;
    }

    public static SimRequest http(String destination, int port, String authority, String path) {
        return new SimRequest(destination, port, Protocol.HTTP, authority, path, "GET", Map.of(), null,
                DEFAULT_SOURCE, true);
    }

    public static SimRequest tcp(String destination, int port) {
        return new SimRequest(destination, port, Protocol.TCP, null, null, null, Map.of(), null, DEFAULT_SOURCE,
                true);
    }

    /** A TLS connection (passed through by the sidecar): TCP with the SNI of its ClientHello. */
    public static SimRequest tls(String destination, int port, String sni) {
        return tcp(destination, port).withSni(sni);
    }

    public SimRequest withHeader(String name, String value) {
        Map<String, String> h = new TreeMap<>(headers);
        h.put(name.toLowerCase(Locale.ROOT), value);
        return new SimRequest(destination, port, protocol, authority, path, method, h, sni, source, captured);
    }

    public SimRequest withMethod(String m) {
        return new SimRequest(destination, port, protocol, authority, path, m, headers, sni, source, captured);
    }

    public SimRequest withSni(String name) {
        return new SimRequest(destination, port, protocol, authority, path, method, headers, name, source, captured);
    }

    public SimRequest withSource(String address) {
        return new SimRequest(destination, port, protocol, authority, path, method, headers, sni, address, captured);
    }

    /** The same request from an application whose traffic is not captured (interception NONE). */
    public SimRequest uncaptured() {
        return new SimRequest(destination, port, protocol, authority, path, method, headers, sni, source, false);
    }

    /** The path without its query string, as Envoy's path matchers see it. */
    String pathOnly() {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    /** A header by lower-case name, including the pseudo-headers {@code :authority}, {@code :path}, {@code :method}. */
    String header(String name) {
        return switch (name) {
            case ":authority" -> authority;
            case ":path" -> path;
            case ":method" -> method;
            case ":scheme" -> "http";
            default -> headers.get(name);
        };
    }

    private static Map<String, String> lower(Map<String, String> in) {
        Map<String, String> out = new TreeMap<>();
        in.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return out;
    }
}
