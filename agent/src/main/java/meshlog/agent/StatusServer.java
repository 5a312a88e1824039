package meshlog.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The sidecar's status port (15021, as pilot-agent's): {@code GET /healthz/ready} answers 200 {@code ready} or 503
 * with the reason ({@link EnvoyReadiness}), which the injected container's readiness probe reads. Anything else is
 * 404.
 */
public final class StatusServer implements AutoCloseable {

    public static final int DEFAULT_PORT = 15021;
    public static final String READY_PATH = "/healthz/ready";

    private final HttpServer server;

    private StatusServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Serves on {@code host:port} (0: a free port).
     *
     * @param agent    the agent, whose certificate must be there and unexpired
     * @param envoy    the supervised Envoy, whose stats say whether it has its first CDS and LDS
     * @param draining whether SIGTERM has been received
     */
    public static StatusServer start(String host, int port, Agent agent, EnvoySupervisor envoy,
                                     BooleanSupplier draining, Clock clock) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "meshlog-agent-status");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            try (exchange) {
                if (!exchange.getRequestURI().getPath().equals(READY_PATH)) {
                    answer(exchange, 404, "not found: only " + READY_PATH + " is served here\n");
                    return;
                }
                Credentials c = agent.current();
                boolean certificate = c != null && c.notAfter().isAfter(clock.instant());
                boolean running = envoy.pid() >= 0;
                EnvoyReadiness.Verdict v = EnvoyReadiness.of(certificate, draining.getAsBoolean(),
                        running ? envoy.adminGet("/ready", null) : null,
                        running ? envoy.adminGet("/stats", EnvoyReadiness.FILTER) : null);
                answer(exchange, v.ready() ? 200 : 503, v.reason() + "\n");
            }
        });
        server.start();
        return new StatusServer(server);
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
