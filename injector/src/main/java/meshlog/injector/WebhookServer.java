package meshlog.injector;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import meshlog.configstore.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /inject}: the mutating admission webhook, over HTTPS (the API server calls webhooks over TLS only),
 * on the JDK's HTTPS server. A body larger than {@link #MAX_BODY_BYTES} or that is not an AdmissionReview is
 * answered 400 and nothing else happens; every review is one log line and one count.
 */
public final class WebhookServer implements AutoCloseable {

    public static final String PATH = "/inject";
    /** The API server's own limit on a request body: no pod it admits is larger. */
    static final int MAX_BODY_BYTES = 3 * 1024 * 1024;
    /**
     * How much of an oversized body is read and thrown away so the caller sees the 400 rather than a reset
     * connection; past this the connection is closed.
     */
    static final long MAX_DRAIN_BYTES = 32L * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger("meshlog.injector");

    /** What the webhook did, since it started. */
    public record Counts(long injected, long skipped, long refused, long badRequests) {
    }

    private final HttpsServer server;
    private final ThreadPoolExecutor workers;
    private final InjectionSettings settings;
    private final AtomicLong injected = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong badRequests = new AtomicLong();

    private WebhookServer(HttpsServer server, ThreadPoolExecutor workers, InjectionSettings settings) {
        this.server = server;
        this.workers = workers;
        this.settings = settings;
    }

    /**
     * Listens on {@code bind:port} (0: any free port) with the certificate {@code tls} serves.
     *
     * @throws IOException if the port cannot be bound
     */
    public static WebhookServer start(String bind, int port, SSLContext tls, InjectionSettings settings)
            throws IOException {
        // The JDK server has no request deadline unless told (read once, when its first server is made): a client
        // that sends a byte a minute must not hold a worker for ever.
        System.setProperty("sun.net.httpserver.maxReqTime", System.getProperty("sun.net.httpserver.maxReqTime",
                "30"));
        System.setProperty("sun.net.httpserver.maxRspTime", System.getProperty("sun.net.httpserver.maxRspTime",
                "30"));
        HttpsServer server;
        try {
            server = HttpsServer.create(new InetSocketAddress(bind, port), 16);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + bind + ":" + port + " for the injection webhook: "
                    + e.getMessage(), e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        // Bounded: two workers, 32 queued; past that the JDK server's connection waits, the API server times out.
        ThreadPoolExecutor workers = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(32), r -> {
                    Thread t = new Thread(r, "meshlog-injector");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        server.setExecutor(workers);
        WebhookServer w = new WebhookServer(server, workers, settings);
        server.createContext("/", w::handle);
        server.start();
        return w;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public Counts counts() {
        return new Counts(injected.get(), skipped.get(), refused.get(), badRequests.get());
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            if (!PATH.equals(x.getRequestURI().getPath())) {
                reply(x, 404, "text/plain", "not found: the webhook is POST " + PATH + "\n");
                return;
            }
            if (!"POST".equals(x.getRequestMethod())) {
                reply(x, 405, "text/plain", "POST an AdmissionReview to " + PATH + "\n");
                return;
            }
            byte[] body = readBounded(x.getRequestBody());
            if (body == null) {
                bad(x, "the AdmissionReview is larger than " + MAX_BODY_BYTES + " bytes");
                return;
            }
            AdmissionReviews.Answer a;
            try {
                a = AdmissionReviews.answer(body, settings);
            } catch (AdmissionReviews.BadReview e) {
                bad(x, e.getMessage());
                return;
            }
            count(a.verdict()).incrementAndGet();
            LOG.info("{} pod {} uid {}: {}", a.verdict().name().toLowerCase(java.util.Locale.ROOT),
                    LogSafe.value(a.pod(), 120), LogSafe.value(a.uid(), 64), LogSafe.value(a.reason(), 300));
            reply(x, 200, "application/json", a.body());
        } catch (IOException | RuntimeException e) {
            // The exchange may be half-read or the client gone: log and let the JDK server close it.
            LOG.warn("webhook request failed: {}", LogSafe.value(e.toString(), 300));
        }
    }

    private AtomicLong count(AdmissionReviews.Verdict v) {
        return switch (v) {
            case INJECTED -> injected;
            case SKIPPED -> skipped;
            case REFUSED -> refused;
        };
    }

    private void bad(HttpExchange x, String message) throws IOException {
        badRequests.incrementAndGet();
        LOG.warn("refused a request from {}: {}", x.getRemoteAddress(), message);
        reply(x, 400, "text/plain", message + "\n");
    }

    /**
     * The body, or null past the limit: at most the limit is kept in memory, the rest (up to
     * {@link #MAX_DRAIN_BYTES}) read into a small buffer and dropped.
     */
    private static byte[] readBounded(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        if (body.length <= MAX_BODY_BYTES) {
            return body;
        }
        byte[] sink = new byte[64 * 1024];
        long drained = 0;
        for (int n; drained < MAX_DRAIN_BYTES && (n = in.read(sink)) > 0; ) {
            drained += n;
        }
        return null;
    }

    private static void reply(HttpExchange x, int status, String type, String text) throws IOException {
        reply(x, status, type, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(1);
        workers.shutdownNow();
    }
}
