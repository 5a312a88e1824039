package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The admin server on loopback, spoken to over a raw socket so the Host header is whatever a browser would send. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminServerTest {

    static final AdminServer.StatusSource STATUS = new AdminServer.StatusSource() {
        @Override
        public Map<String, String> problems() {
            return Map.of();
        }

        @Override
        public Object status() {
            return Map.of("repository", "/home/alice/mesh", "lastApplied", Map.of("email", "alice@example.com"));
        }
    };

    /** One request, the connection closed after it: the status line, headers and body as text. */
    static String request(int port, String method, String path, String... headers) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(10_000);
            StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            for (String h : headers) {
                req.append(h).append("\r\n");
            }
            req.append("Connection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
        }
    }

    static String statusLine(String response) {
        return response.lines().findFirst().orElse("");
    }

    static String body(String response) {
        int i = response.indexOf("\r\n\r\n");
        return i < 0 ? "" : response.substring(i + 4);
    }

    @Test
    void apiProxiesAnswersAPageAndABadParameterIsA400NamingIt() throws Exception {
        try (AdminServer admin = AdminServer.start("127.0.0.1", 0, null, STATUS)) {
            int port = admin.port();
            String empty = request(port, "GET", "/api/proxies?cluster=east", "Host: 127.0.0.1");
            assertThat(statusLine(empty)).isEqualTo("HTTP/1.1 200 OK");
            assertThat(body(empty)).isEqualTo("{\"items\":[],\"total\":0,\"next\":null}");
            String bad = request(port, "GET", "/api/proxies?limit=100000", "Host: 127.0.0.1");
            assertThat(statusLine(bad)).isEqualTo("HTTP/1.1 400 Bad Request");
            assertThat(body(bad)).isEqualTo("limit must be 1 to 1000, not 100000\n");
            assertThat(statusLine(request(port, "GET", "/api/status", "Host: 127.0.0.1")))
                    .as("still serving after a refusal").isEqualTo("HTTP/1.1 200 OK");
        }
    }

    @Test
    void onLoopbackARebindingHostOtherMethodsAndNoHostAreRefused() throws Exception {
        try (AdminServer admin = AdminServer.start("127.0.0.1", 0, null, STATUS)) {
            int port = admin.port();
            String ok = request(port, "GET", "/api/status", "Host: 127.0.0.1:" + port);
            assertThat(statusLine(ok)).isEqualTo("HTTP/1.1 200 OK");
            assertThat(body(ok)).contains("alice@example.com");

            String rebound = request(port, "GET", "/api/status", "Host: rebind.attacker.example:" + port);
            assertThat(statusLine(rebound)).isEqualTo("HTTP/1.1 403 Forbidden");
            assertThat(body(rebound)).isEqualTo("Host \"rebind.attacker.example\" is not a loopback name or address;"
                    + " this admin server is bound to loopback\n").doesNotContain("alice");
            assertThat(statusLine(request(port, "GET", "/healthz"))).as("HTTP/1.1 without Host")
                    .isEqualTo("HTTP/1.1 403 Forbidden");

            String post = request(port, "POST", "/api/status", "Host: localhost", "Content-Length: 0");
            assertThat(statusLine(post)).isEqualTo("HTTP/1.1 405 Method Not Allowed");
            assertThat(post).containsIgnoringCase("\r\nAllow: GET, HEAD\r\n");
            assertThat(statusLine(request(port, "DELETE", "/healthz", "Host: localhost")))
                    .isEqualTo("HTTP/1.1 405 Method Not Allowed");

            String head = request(port, "HEAD", "/healthz", "Host: [::1]:" + port);
            assertThat(statusLine(head)).isEqualTo("HTTP/1.1 200 OK");
            assertThat(body(head)).isEmpty();
        }
    }

    @Test
    void withATokenFileEveryRequestNeedsTheBearerToken() throws Exception {
        String token = "3f9c2a61d0b84e7fa51c6e2d9b0a7c44";
        try (AdminServer admin = AdminServer.start("127.0.0.1", 0, token, STATUS)) {
            int port = admin.port();
            String none = request(port, "GET", "/healthz", "Host: localhost");
            assertThat(statusLine(none)).isEqualTo("HTTP/1.1 401 Unauthorized");
            assertThat(none).containsIgnoringCase("\r\nWWW-Authenticate: Bearer realm=\"meshlog-admin\"\r\n");
            assertThat(statusLine(request(port, "GET", "/api/status", "Host: localhost",
                    "Authorization: Bearer wrong-token-wrong-token"))).isEqualTo("HTTP/1.1 401 Unauthorized");
            String ok = request(port, "GET", "/api/status", "Host: localhost", "Authorization: Bearer " + token);
            assertThat(statusLine(ok)).isEqualTo("HTTP/1.1 200 OK");
            assertThat(ok).doesNotContain(token);
        }
    }
}
