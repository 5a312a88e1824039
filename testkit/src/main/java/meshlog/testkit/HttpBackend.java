package meshlog.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP backend on 127.0.0.1 that says who answered: every response is 200 with body {@code <name>} and header
 * {@code x-backend: <name>}, unless told to fail its next requests. It records what it received, so tests can
 * assert what a proxy sent (path, headers) and how often.
 */
public final class HttpBackend implements AutoCloseable {

    /** One request as received. Header names lower-case. */
    public record Received(String method, String path, Map<String, String> headers) {
    }

    private static final int MAX_RECORDED = 10_000;

    static {
        // The JDK server writes headers and body apart; with Nagle on, each response waits ~40 ms for an ACK.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final String name;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile int failStatus = 503;
    private final AtomicInteger slowNext = new AtomicInteger();
    private volatile long slowMillis;

    private HttpBackend(String name, InetAddress address) {
        this.name = name;
        try {
            server = HttpServer.create(new InetSocketAddress(address, 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    public static HttpBackend start(String name) {
        return new HttpBackend(name, InetAddress.getLoopbackAddress());
    }

    /** A backend on {@code address} (e.g. the host side of a test's veth pair) instead of loopback. */
    public static HttpBackend start(String name, InetAddress address) {
        return new HttpBackend(name, address);
    }

    public String name() {
        return name;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The next {@code n} requests are answered with {@code status} (and still recorded). */
    public void failNext(int n, int status) {
        failStatus = status;
        failNext.set(n);
    }

    /** The next {@code n} requests are answered after {@code millis} ms (bounded by the caller's timeouts). */
    public void slowNext(int n, long millis) {
        slowMillis = millis;
        slowNext.set(n);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public int count() {
        return received.size();
    }

    public void reset() {
        received.clear();
        failNext.set(0);
        slowNext.set(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getRequestBody().readAllBytes();
            Map<String, String> headers = new TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT),
                    String.join(",", v)));
            if (received.size() < MAX_RECORDED) {
                received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().toString(), headers));
            }
            boolean fail = failNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
            if (slowNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                try {
                    Thread.sleep(Math.min(slowMillis, 10_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("x-backend", name);
            ex.sendResponseHeaders(fail ? failStatus : 200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
