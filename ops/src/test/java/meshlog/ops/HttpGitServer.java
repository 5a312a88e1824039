package meshlog.ops;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Git's smart HTTP on 127.0.0.1: Vert.x checks {@code Authorization: Basic} against one token (any user name, as
 * GitHub, GitLab and Gitea accept a personal access token) and runs the real {@code git http-backend} as a CGI for
 * what passes. Plain HTTP: TLS would test Vert.x's and the JVM's TLS, not meshlog's handling of the token.
 */
final class HttpGitServer implements AutoCloseable {

    private final Vertx vertx;
    private final HttpServer server;
    final AtomicInteger refused = new AtomicInteger();

    private HttpGitServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    static HttpGitServer start(Path root, String token) throws Exception {
        Vertx vertx = Vertx.vertx();
        HttpGitServer[] self = new HttpGitServer[1];
        HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            if (!authorized(req.getHeader("Authorization"), token)) {
                self[0].refused.incrementAndGet();
                req.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"git\"").end();
                return;
            }
            vertx.executeBlocking(() -> cgi(root, req, body)).onSuccess(out -> answer(req, out))
                    .onFailure(e -> req.response().setStatusCode(500).end(e.toString()));
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        self[0] = new HttpGitServer(vertx, server);
        return self[0];
    }

    String url(String name) {
        return "http://127.0.0.1:" + server.actualPort() + "/" + name;
    }

    private static boolean authorized(String header, String token) {
        if (header == null || !header.startsWith("Basic ")) {
            return false;
        }
        String userPass = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        return userPass.endsWith(":" + token);
    }

    private static byte[] cgi(Path root, HttpServerRequest req, Buffer body) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("git", "http-backend").redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        env.put("GIT_PROJECT_ROOT", root.toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("PATH_INFO", req.path());
        env.put("REQUEST_METHOD", req.method().name());
        env.put("QUERY_STRING", req.query() == null ? "" : req.query());
        env.put("REMOTE_USER", "meshlog");
        env.put("REMOTE_ADDR", "127.0.0.1");
        env.put("CONTENT_LENGTH", Integer.toString(body.length()));
        putIfSet(env, "CONTENT_TYPE", req.getHeader("Content-Type"));
        putIfSet(env, "HTTP_CONTENT_ENCODING", req.getHeader("Content-Encoding"));
        putIfSet(env, "GIT_PROTOCOL", req.getHeader("Git-Protocol"));
        Process p = pb.start();
        Thread writer = new Thread(() -> {
            try (OutputStream in = p.getOutputStream()) {
                in.write(body.getBytes());
            } catch (java.io.IOException ignored) {
                // the backend stopped reading: its answer says why
            }
        });
        writer.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream o = p.getInputStream()) {
            o.transferTo(out);
        }
        writer.join(10_000);
        p.waitFor(10, TimeUnit.SECONDS);
        return out.toByteArray();
    }

    private static void putIfSet(Map<String, String> env, String name, String value) {
        if (value != null) {
            env.put(name, value);
        }
    }

    /** A CGI answer: header lines (a {@code Status:} among them), a blank line, the body. */
    private static void answer(HttpServerRequest req, byte[] out) {
        int split = -1;
        int skip = 0;
        for (int i = 0; i + 1 < out.length; i++) {
            if (out[i] == '\n' && out[i + 1] == '\n') {
                split = i;
                skip = 2;
                break;
            }
            if (i + 3 < out.length && out[i] == '\r' && out[i + 1] == '\n' && out[i + 2] == '\r'
                    && out[i + 3] == '\n') {
                split = i;
                skip = 4;
                break;
            }
        }
        if (split < 0) {
            req.response().setStatusCode(502).end("no CGI header");
            return;
        }
        int status = 200;
        for (String line : new String(out, 0, split, StandardCharsets.ISO_8859_1).split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("Status")) {
                status = Integer.parseInt(value.split(" ")[0]);
            } else {
                req.response().putHeader(name, value);
            }
        }
        byte[] rest = java.util.Arrays.copyOfRange(out, split + skip, out.length);
        req.response().setStatusCode(status).end(Buffer.buffer(rest));
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
    }
}
