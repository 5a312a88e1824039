package meshlog.ops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plain HTTP/1.1 calls through an Envoy listener on 127.0.0.1, as an application next to its sidecar makes them:
 * one connection per call, any {@code Host} (java.net.http will not send a Host other than the URI's).
 */
final class HttpCalls {

    /** What came back: the status, which backend answered ({@code x-backend}, empty if none), lower-case headers. */
    record Answer(int status, String backend, Map<String, String> headers, String body) {
    }

    private static final int MAX_RESPONSE = 1 << 20;

    private final String address;
    private final int port;
    private final String source;

    HttpCalls(int port) {
        this("127.0.0.1", port);
    }

    /** Calls to {@code address:port} instead of loopback. */
    HttpCalls(String address, int port) {
        this(address, port, null);
    }

    private HttpCalls(String address, int port, String source) {
        this.address = address;
        this.port = port;
        this.source = source;
    }

    /** The same calls made from the local address {@code source} (any 127.0.0.x on loopback). */
    HttpCalls from(String source) {
        return new HttpCalls(address, port, source);
    }

    /** {@code method path} with {@code Host: host} and headers given as pairs: name, value, ... */
    Answer call(String method, String host, String path, String... headers) {
        StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        req.append("Content-Length: 0\r\nConnection: close\r\n\r\n");
        try (Socket s = new Socket()) {
            if (source != null) {
                s.bind(new InetSocketAddress(source, 0));
            }
            s.connect(new InetSocketAddress(address, port), 2000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            return parse(readAll(s.getInputStream()));
        } catch (IOException e) {
            return new Answer(-1, "", Map.of("error", String.valueOf(e)), "");
        }
    }

    Answer get(String host, String path, String... headers) {
        return call("GET", host, path, headers);
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0 && out.size() < MAX_RESPONSE; ) {
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static Answer parse(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        if (end < 0) {
            return new Answer(-1, "", Map.of("error", "no complete response: " + raw), "");
        }
        String[] lines = raw.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim(), (a, b) -> a + "," + b);
            }
        }
        return new Answer(status, headers.getOrDefault("x-backend", ""), headers, raw.substring(end + 4));
    }
}
