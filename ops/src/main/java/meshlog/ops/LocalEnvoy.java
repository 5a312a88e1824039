package meshlog.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An Envoy process a command started on this machine: its files (bootstrap, log, admin address) in one directory,
 * its admin API on a loopback port the kernel picks, {@code --disable-hot-restart} so it needs no shared memory
 * and runs beside other Envoys. {@link #close()} stops it (SIGTERM, then SIGKILL) and waits for it, bounded.
 */
final class LocalEnvoy implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);

    private final Process process;
    private final Path log;
    private final String admin;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LocalEnvoy(Process process, Path log, String admin) {
        this.process = process;
        this.log = log;
        this.admin = admin;
    }

    /**
     * Starts {@code binary} on {@code bootstrap} (its admin port must be 0) and waits until its admin API has an
     * address, at most {@code within}.
     *
     * @throws IOException when Envoy cannot start, exits, or opens no admin port in time (with its log's tail)
     */
    static LocalEnvoy start(Path binary, String bootstrap, Path dir, Duration within)
            throws IOException, InterruptedException {
        Path config = Files.writeString(dir.resolve("bootstrap.json"), bootstrap);
        Path adminFile = dir.resolve("admin-address");
        Path log = dir.resolve("envoy.log");
        Process p = new ProcessBuilder(binary.toString(), "-c", config.toString(), "--disable-hot-restart",
                "--concurrency", "1", "--log-level", "warn", "--admin-address-path", adminFile.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + within.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new IOException("Envoy exited with " + p.exitValue() + "; its log ends:\n" + tail(log));
                }
                String address = Files.exists(adminFile) ? Files.readString(adminFile).strip() : "";
                if (!address.isEmpty()) {
                    return new LocalEnvoy(p, log, "http://" + address);
                }
                Thread.sleep(POLL.toMillis());
            }
            throw new IOException("Envoy opened no admin port within " + within.toSeconds() + " s; its log ends:\n"
                    + tail(log));
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop(p);
            throw e;
        }
    }

    /**
     * Waits, at most {@code within}, until Envoy says it is ready ({@code /ready}: {@code LIVE}, its first xDS
     * fetches done) and holds a listener on {@code address} ({@code 127.0.0.1:50051}). Stops waiting when Envoy
     * rejected an update (a port it cannot bind is one): that listener will not come.
     *
     * @return whether it got there in time
     */
    boolean awaitListener(String address, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline && process.isAlive() && rejectedUpdates() == 0) {
            if (get("/ready").strip().equals("LIVE")
                    && get("/listeners").lines().anyMatch(l -> l.endsWith("::" + address))) {
                return true;
            }
            Thread.sleep(POLL.toMillis());
        }
        return false;
    }

    /** The sum of every {@code *.update_rejected} counter: how many xDS updates Envoy NACKed. */
    long rejectedUpdates() {
        return get("/stats?filter=update_rejected$").lines()
                .map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .filter(v -> v.matches("\\d+")).mapToLong(Long::parseLong).sum();
    }

    /** {@code http://127.0.0.1:PORT}, the admin API. */
    String admin() {
        return admin;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** The body of GET {@code path} on the admin API; empty when it does not answer (Envoy stopping). */
    private String get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(admin + path)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stop(process);
    }

    /** SIGTERM (Envoy exits at once), SIGKILL after 5 s, each wait bounded. */
    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
