package meshlog.ops;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The commands' side of the admin API ({@code proxy-status}, {@code proxy-config --live}): GETs to the admin servers
 * that {@code --admin HOST:PORT,..} names (default {@code meshlog up}'s 127.0.0.1:15014), with the bearer token of
 * {@code --admin-token-file} when given.
 */
final class AdminClient {

    static final String DEFAULT = "127.0.0.1:15014";
    static final java.util.Set<String> FLAGS = java.util.Set.of("admin", "admin-token-file");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> admins;
    private final String token;

    private AdminClient(List<String> admins, String token) {
        this.admins = admins;
        this.token = token;
    }

    static AdminClient of(Flags f) {
        String token = f.has("admin-token-file") ? AdminToken.read(Path.of(f.get("admin-token-file", ""))) : null;
        List<String> admins = java.util.Arrays.stream(f.get("admin", DEFAULT).split(",")).map(String::strip)
                .filter(a -> !a.isEmpty()).toList();
        if (admins.isEmpty()) {
            throw new Flags.UsageException("--admin needs HOST:PORT");
        }
        return new AdminClient(admins, token);
    }

    List<String> admins() {
        return admins;
    }

    /** {@code GET http://ADMIN/PATH_AND_QUERY}; the body whatever the status. */
    HttpResponse<String> get(String admin, String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://" + admin + pathAndQuery))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String encode(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }
}
