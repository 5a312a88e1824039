package meshlog.ops.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The UI's files, read once from the class path: a fixed table, so no request path ever names a resource (no
 * traversal, no listing). Served with a Content-Security-Policy that allows only this origin's own script and
 * style, so even a slip that rendered untrusted text as markup could not run it.
 */
final class StaticAssets {

    record Asset(String contentType, byte[] bytes) {
    }

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final Map<String, String> FILES = Map.of(
            "", "index.html",
            "index.html", "index.html",
            "app.js", "app.js",
            "app.css", "app.css");

    private final Map<String, Asset> assets;

    StaticAssets() {
        this.assets = Map.of(
                "index.html", load("index.html", "text/html; charset=utf-8"),
                "app.js", load("app.js", "text/javascript; charset=utf-8"),
                "app.css", load("app.css", "text/css; charset=utf-8"));
    }

    /** The asset {@code /ui/NAME} names, or null. */
    Asset get(String name) {
        String file = FILES.get(name);
        return file == null ? null : assets.get(file);
    }

    private static Asset load(String file, String type) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("the web UI's " + file + " is missing from the class path");
            }
            return new Asset(type, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
