package meshlog.agent;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Envoy beside the agent, as pilot-agent does: starts it on the bootstrap, forwards its output line by line,
 * restarts it when it exits unexpectedly (after {@link EnvoySettings#backoff}, doubling), gives up after
 * {@link EnvoySettings#maxFailures} consecutive failures ({@link #gaveUp()} completes with Envoy's last exit code),
 * and on {@link #drainAndStop()} drains inbound listeners gracefully for the drain duration before stopping it.
 * A run that lasted {@link #STABLE} or more resets the failure count.
 */
public final class EnvoySupervisor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("meshlog.agent.envoy");
    static final Duration STABLE = Duration.ofMinutes(1);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    /** The stats the readiness reads are a few lines; more is cut, not held. */
    private static final int MAX_ADMIN_BODY = 64 * 1024;

    private final EnvoySettings settings;
    private final Consumer<String> output;
    private final Path adminFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final CompletableFuture<Integer> gaveUp = new CompletableFuture<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Thread watcher;
    private volatile Process process;
    private volatile int starts;

    private EnvoySupervisor(EnvoySettings settings, Consumer<String> output) {
        this.settings = settings;
        this.output = output;
        this.adminFile = settings.workDir().resolve("envoy-admin-address");
        this.watcher = new Thread(this::supervise, "meshlog-envoy-supervisor");
        watcher.setDaemon(true);
    }

    /**
     * Starts Envoy and its supervision; {@code output} receives each of Envoy's lines (escaped, bounded).
     *
     * @throws IOException when Envoy cannot be started at all (the binary does not run)
     */
    public static EnvoySupervisor start(EnvoySettings settings, Consumer<String> output) throws IOException {
        EnvoySupervisor s = new EnvoySupervisor(settings, output);
        s.launch();
        s.watcher.start();
        return s;
    }

    private void launch() throws IOException {
        Files.deleteIfExists(adminFile);
        StaleEnvoy.stop(pidFile(), settings.bootstrap());
        List<String> cmd = List.of(settings.binary().toString(), "-c", settings.bootstrap().toString(),
                "--disable-hot-restart", "--concurrency", String.valueOf(settings.concurrency()),
                "--drain-time-s", String.valueOf(Math.max(1, settings.drain().toSeconds())),
                "--drain-strategy", "immediate", "--admin-address-path", adminFile.toString(),
                "--log-level", "warning");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        starts++;
        process = p;
        Files.writeString(pidFile(), String.valueOf(p.pid()));
        Thread out = new Thread(() -> EnvoyOutput.forward(p.getInputStream(), output),
                "meshlog-envoy-output-" + p.pid());
        out.setDaemon(true);
        out.start();
        LOG.info("Envoy started (pid {}, start {}): {} -c {}", p.pid(), starts, settings.binary(),
                settings.bootstrap());
    }

    /** Where the running Envoy's pid is kept, for the next agent should this one be killed before stopping it. */
    private Path pidFile() {
        return settings.workDir().resolve("envoy.pid");
    }

    private void supervise() {
        int failures = 0;
        while (true) {
            Process p = process;
            long began = System.nanoTime();
            int code = waitFor(p);
            if (stopping.getCount() == 0) {
                return;
            }
            failures = Duration.ofNanos(System.nanoTime() - began).compareTo(STABLE) >= 0 ? 1 : failures + 1;
            if (failures >= settings.maxFailures()) {
                LOG.error("Envoy (pid {}) exited with {}: {} consecutive failures, giving up", p.pid(), code,
                        failures);
                gaveUp.complete(code);
                return;
            }
            Duration wait = settings.backoff(failures);
            LOG.warn("Envoy (pid {}) exited unexpectedly with {}; restarting in {} ms (failure {} of at most {})",
                    p.pid(), code, wait.toMillis(), failures, settings.maxFailures());
            try {
                if (stopping.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
                launch();
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                LOG.error("Envoy cannot be restarted: {}", e.toString());
                gaveUp.complete(-1);
                return;
            }
        }
    }

    private static int waitFor(Process p) {
        while (true) {
            try {
                return p.waitFor();
            } catch (InterruptedException e) {
                // only stop() ends the supervision; keep waiting for the process
            }
        }
    }

    /** Completes, with Envoy's last exit code, when the supervisor gave up restarting it. */
    public CompletableFuture<Integer> gaveUp() {
        return gaveUp;
    }

    /** How many times Envoy was started, the first included. */
    public int starts() {
        return starts;
    }

    /** The running Envoy's pid, or -1. */
    public long pid() {
        Process p = process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    /** {@code http://HOST:PORT} of the running Envoy's admin API, or null before it has one. */
    public String admin() {
        try {
            String a = Files.exists(adminFile) ? Files.readString(adminFile).strip() : "";
            return a.isEmpty() ? null : "http://" + a;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * GET {@code path} on the admin API with {@code filter} (encoded here) or none: the body, whatever the status
     * ({@code /ready} says its state with a 503), bounded; null when it does not answer.
     */
    public String adminGet(String path, String filter) {
        String admin = admin();
        if (admin == null) {
            return null;
        }
        String uri = admin + path + (filter == null ? "" : "?filter=" + URLEncoder.encode(filter,
                StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            String body = r.body();
            return body.length() > MAX_ADMIN_BODY ? body.substring(0, MAX_ADMIN_BODY) : body;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * SIGTERM's path: no more restarts; Envoy's inbound listeners drain gracefully ({@code POST
     * /drain_listeners?inboundonly&graceful}, as pilot-agent: the app may still call out while it stops) for the
     * drain duration, or until Envoy exits; then Envoy is stopped.
     */
    public void drainAndStop() {
        stopping.countDown();
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        String admin = admin();
        if (admin != null) {
            try {
                http.send(HttpRequest.newBuilder(URI.create(admin + "/drain_listeners?inboundonly&graceful"))
                        .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                LOG.info("draining Envoy's inbound listeners for {} ms", settings.drain().toMillis());
                p.waitFor(settings.drain().toMillis(), TimeUnit.MILLISECONDS);
            } catch (IOException e) {
                LOG.warn("Envoy's admin API did not take the drain: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stop(p);
    }

    /** SIGTERM (Envoy exits at once), SIGKILL after 5 s, each wait bounded. */
    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        LOG.info("Envoy (pid {}) stopped", p.pid());
    }

    /** Stops Envoy without draining. */
    @Override
    public void close() {
        stopping.countDown();
        Process p = process;
        if (p != null && p.isAlive()) {
            stop(p);
        }
    }
}
