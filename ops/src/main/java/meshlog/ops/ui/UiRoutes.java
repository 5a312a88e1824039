package meshlog.ops.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The read-only web UI on the admin server: {@code /ui/} (static files) and the JSON APIs behind it,
 * {@code /api/clusters}, {@code /api/commits}, {@code /api/commits/{sha}}, {@code /api/state?at=} and
 * {@code /api/diff?from=&to=}. The admin server has checked access before; every parameter is bounded by
 * {@link UiParams} before the source reads the log.
 */
public final class UiRoutes {

    private final UiSource source;
    private final ObjectMapper json;

    public UiRoutes(UiSource source, ObjectMapper json) {
        this.source = source;
        this.json = json;
    }

    /** Whether {@code path} is the UI's. */
    public static boolean handles(String path) {
        return path.equals("/ui") || path.startsWith("/ui/") || path.equals("/api/clusters")
                || path.equals("/api/commits") || path.startsWith("/api/commits/") || path.equals("/api/state")
                || path.equals("/api/diff");
    }

    /** Answers a request {@link #handles} takes; blocking (it may read the log). */
    public void respond(HttpServerRequest req) throws Exception {
        String path = req.path();
        if (path.equals("/ui")) {
            req.response().setStatusCode(302).putHeader("location", "/ui/").end();
            return;
        }
        if (path.startsWith("/ui/")) {
            asset(req, path.substring("/ui/".length()));
            return;
        }
        Map<String, String> params = new LinkedHashMap<>();
        req.params().forEach(e -> params.putIfAbsent(e.getKey(), e.getValue()));
        Object body;
        try {
            body = api(path, params);
        } catch (IllegalArgumentException e) {
            text(req, 400, e.getMessage());
            return;
        }
        if (body == null) {
            text(req, 404, "no commit " + meshlog.configstore.LogSafe.value(path.substring(path.lastIndexOf('/') + 1),
                    60) + " is recorded");
            return;
        }
        req.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-store")
                .putHeader("x-content-type-options", "nosniff").end(json.writeValueAsString(body));
    }

    private Object api(String path, Map<String, String> params) {
        if (path.equals("/api/clusters")) {
            UiParams.of(params, List.of());
            return source.clusters();
        }
        if (path.equals("/api/commits")) {
            UiParams p = UiParams.of(params, List.of("limit", "before", "outcome", "q"));
            long before = p.number("before", -1);
            return source.commits(new UiSource.CommitQuery(p.limit(), before < 0 ? null : before, p.outcome(),
                    p.optional("q")));
        }
        if (path.startsWith("/api/commits/")) {
            UiParams.of(params, List.of());
            String id = path.substring("/api/commits/".length());
            if (!id.matches("[0-9a-fA-F]{7,40}")) {
                throw new IllegalArgumentException("a commit is named by its sha (7 to 40 hex digits)");
            }
            return source.commit(id);
        }
        if (path.equals("/api/state")) {
            UiParams p = UiParams.of(params, List.of("at", "start", "limit"));
            return source.state(p.required("at"), start(p), p.limit());
        }
        UiParams p = UiParams.of(params, List.of("from", "to", "start", "limit"));
        return source.diff(p.required("from"), p.required("to"), start(p), p.limit());
    }

    private static int start(UiParams p) {
        return (int) Math.min(p.number("start", 0), Integer.MAX_VALUE);
    }

    private void asset(HttpServerRequest req, String name) {
        StaticAssets.Asset a;
        try {
            a = assets().get(name);
        } catch (IllegalStateException e) {
            text(req, 404, "the web UI's files are not in this build; its JSON APIs are");
            return;
        }
        if (a == null) {
            text(req, 404, "not found: the UI is at /ui/");
            return;
        }
        req.response().putHeader("content-type", a.contentType())
                .putHeader("content-security-policy", StaticAssets.CSP)
                .putHeader("x-content-type-options", "nosniff").putHeader("x-frame-options", "DENY")
                .putHeader("referrer-policy", "no-referrer").end(Buffer.buffer(a.bytes()));
    }

    private static StaticAssets loaded;

    /** Read from the jar on first use, then kept: they cannot change while the process runs. */
    private static synchronized StaticAssets assets() {
        if (loaded == null) {
            loaded = new StaticAssets();
        }
        return loaded;
    }

    private static void text(HttpServerRequest req, int status, String message) {
        req.response().setStatusCode(status).putHeader("content-type", "text/plain; charset=utf-8")
                .end(message + "\n");
    }
}
