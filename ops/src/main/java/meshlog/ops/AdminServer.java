package meshlog.ops;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import meshlog.configstore.event.EventCodec;

/**
 * The admin HTTP edge: {@code GET /healthz} (live), {@code GET /readyz} (serving the current config),
 * {@code GET /api/status}, JSON from {@link StatusSource}, {@code GET /api/proxies} (paginated, {@link ProxyPage}),
 * the web UI ({@code /ui/} and its APIs, {@link meshlog.ops.ui.UiRoutes}) and {@code GET /metrics} where the source
 * has them. Every
 * request passes {@link AdminAccess} first (Host check on loopback, bearer token, read-only methods).
 */
final class AdminServer implements AutoCloseable {

    /** What the endpoints show; computed on each request, so it is never stale. */
    interface StatusSource {
        /** What keeps the process from serving at all (heap, a stuck component), by component; empty when live. */
        Map<String, String> problems();

        /** What keeps it from serving the current config, {@link #problems()} included; empty when ready. */
        default Map<String, String> notReady() {
            return problems();
        }

        /**
         * What {@code /readyz} adds without being a problem, by component: a git-sync standby says so and names the
         * leader. Empty by default.
         */
        default Map<String, String> notes() {
            return Map.of();
        }

        Object status();

        /** Every connected proxy's sync state, for {@code /api/proxies}; none by default. */
        default java.util.List<ProxySync.Row> proxies() {
            return java.util.List.of();
        }

        /**
         * What the connected proxy {@code proxyId} is served now ({@link LiveProxyConfig}), or null when it is not
         * connected here; {@code type} is listeners, routes, clusters, endpoints or all.
         */
        default Object proxyConfig(String proxyId, String type) {
            return null;
        }

        /** The web UI's data ({@code /ui/} and its APIs), or null where the process has no UI. */
        default meshlog.ops.ui.UiSource ui() {
            return null;
        }

        /** {@code /metrics} in Prometheus' text format, or null where the process has none. */
        default String metrics() {
            return null;
        }
    }

    private final Vertx vertx;
    private final HttpServer server;

    private AdminServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** @param token the bearer token every request must carry, or null for none */
    static AdminServer start(String host, int port, String token, StatusSource source) {
        return start(host, port, token, source, null, null);
    }

    /**
     * @param webhook judges {@code POST /webhook/git}, or null for no webhook
     * @param fetchNow what a push to the followed branch triggers
     */
    static AdminServer start(String host, int port, String token, StatusSource source, GitWebhook webhook,
                             Runnable fetchNow) {
        AdminAccess access = new AdminAccess(host, token);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
        try {
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(req -> {
                        if (webhook != null && req.path().equals(WebhookRequest.PATH)) {
                            // Authenticated by the forge's signature, not by Host or bearer token: a forge sends
                            // neither, and a page in a browser cannot sign.
                            WebhookRequest.handle(req, webhook, fetchNow);
                            return;
                        }
                        // The authority: the Host header, or HTTP/2's :authority after an h2c upgrade.
                        String authority = req.authority() == null ? null : req.authority().host();
                        AdminAccess.Refusal no = access.check(req.method().name(), authority,
                                req.headers().get("Authorization"));
                        if (no != null) {
                            no.headers().forEach(req.response()::putHeader);
                            req.response().setStatusCode(no.status()).putHeader("content-type", "text/plain")
                                    .end(no.message() + "\n");
                            return;
                        }
                        vertx.executeBlocking(() -> respond(req, source))
                                .onFailure(e -> req.response().setStatusCode(500).end(e.toString()));
                    })
                    .listen(port, host).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return new AdminServer(vertx, server);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            vertx.close();
            throw new IllegalStateException("admin server cannot listen on " + host + ":" + port + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }

    private static Void respond(HttpServerRequest req, StatusSource source) throws Exception {
        String path = req.path();
        if (path.equals("/healthz")) {
            health(req, "up", source.problems(), Map.of());
        } else if (path.equals("/readyz")) {
            health(req, "ready", source.notReady(), source.notes());
        } else if (path.equals("/api/status")) {
            req.response().putHeader("content-type", "application/json")
                    .end(EventCodec.json().writerWithDefaultPrettyPrinter().writeValueAsString(source.status()));
        } else if (path.equals("/api/proxy-config")) {
            proxyConfig(req, source);
        } else if (path.equals("/api/proxies")) {
            proxies(req, source);
        } else if (source.ui() != null && meshlog.ops.ui.UiRoutes.handles(path)) {
            new meshlog.ops.ui.UiRoutes(source.ui(), EventCodec.json()).respond(req);
        } else if (path.equals("/metrics") && source.metrics() != null) {
            req.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(source.metrics());
        } else {
            req.response().setStatusCode(404).end("not found: try /healthz, /readyz, /api/status or /api/proxies\n");
        }
        return null;
    }

    /** A page of proxies; a bad parameter is a 400 naming it. */
    private static void proxies(HttpServerRequest req, StatusSource source) throws Exception {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        req.params().forEach(e -> params.putIfAbsent(e.getKey(), e.getValue()));
        ProxyPage.Query query;
        try {
            query = ProxyPage.parse(params);
        } catch (IllegalArgumentException e) {
            req.response().setStatusCode(400).putHeader("content-type", "text/plain").end(e.getMessage() + "\n");
            return;
        }
        req.response().putHeader("content-type", "application/json")
                .end(EventCodec.json().writeValueAsString(ProxyPage.of(source.proxies(), query)));
    }

    /** One connected proxy's served config; 404 when it is not connected to this process. */
    private static void proxyConfig(HttpServerRequest req, StatusSource source) throws Exception {
        String id = req.getParam("id");
        String type = req.getParam("type", "all");
        String refusal = id == null || id.isEmpty() ? "id=NODE_ID is required"
                : id.length() > ProxyPage.MAX_PARAMETER ? "id is longer than " + ProxyPage.MAX_PARAMETER + " characters"
                : !type.equals("all") && !LiveProxyConfig.TYPES.containsKey(type)
                        ? "type must be listeners, routes, clusters, endpoints or all" : null;
        if (refusal != null) {
            req.response().setStatusCode(400).putHeader("content-type", "text/plain").end(refusal + "\n");
            return;
        }
        Object config = source.proxyConfig(id, type);
        if (config == null) {
            req.response().setStatusCode(404).putHeader("content-type", "text/plain")
                    .end("no proxy " + meshlog.configstore.LogSafe.value(id, 200) + " is connected here\n");
            return;
        }
        req.response().putHeader("content-type", "application/json")
                .end(EventCodec.json().writerWithDefaultPrettyPrinter().writeValueAsString(config));
    }

    private static void health(HttpServerRequest req, String key, Map<String, String> problems,
            Map<String, String> notes) throws Exception {
        boolean ok = problems.isEmpty();
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put(key, ok);
        body.put("problems", problems);
        if (!notes.isEmpty()) {
            body.put("notes", notes);
        }
        req.response().setStatusCode(ok ? 200 : 503).putHeader("content-type", "application/json")
                .end(EventCodec.json().writeValueAsString(body));
    }

    int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null)
                .join();
    }
}
