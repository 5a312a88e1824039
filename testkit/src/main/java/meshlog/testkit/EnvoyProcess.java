package meshlog.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Envoy, run as a process on 127.0.0.1 from a bootstrap, with its admin API at hand. Envoy runs with one
 * worker thread, {@code --disable-hot-restart} (so several run at once) and its admin port picked by the kernel.
 * {@link #close()} kills it and waits for it.
 */
public final class EnvoyProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final Path dir;
    private final String adminHost;
    private final int adminPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private EnvoyProcess(Process process, Path dir, String adminHost, int adminPort) {
        this.process = process;
        this.dir = dir;
        this.adminHost = adminHost;
        this.adminPort = adminPort;
    }

    /**
     * Starts Envoy on {@code bootstrapYaml}; its admin listener must be {@code 127.0.0.1} port 0 (see
     * {@link #adminYaml()}). Waits until the admin API answers.
     *
     * @param dir a fresh directory for the bootstrap, Envoy's log and its admin address file
     */
    public static EnvoyProcess start(String bootstrapYaml, Path dir) {
        return start(bootstrapYaml, dir, List.of());
    }

    /**
     * Like {@link #start(String, Path)}, with {@code prefix} before Envoy's command line (e.g. {@code ip netns exec
     * NS setpriv --reuid=1337 ...}, which exec Envoy in place, so stopping this process stops Envoy). The admin
     * API is reached at the address Envoy reports, which may then be another than loopback.
     */
    public static EnvoyProcess start(String bootstrapYaml, Path dir, List<String> prefix) {
        Path binary = EnvoyBinary.require();
        try {
            Files.createDirectories(dir);
            Path bootstrap = dir.resolve("bootstrap.yaml");
            Files.writeString(bootstrap, bootstrapYaml);
            Path adminFile = dir.resolve("admin-address");
            Path log = dir.resolve("envoy.log");
            List<String> cmd = new ArrayList<>(prefix);
            cmd.addAll(List.of(binary.toString(), "-c", bootstrap.toString(),
                    "--disable-hot-restart", "--concurrency", "1", "--log-level", "info",
                    "--admin-address-path", adminFile.toString(), "--drain-time-s", "1"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("envoy exited with " + p.exitValue() + ":\n" + tail(log));
                }
                if (Files.exists(adminFile) && !Files.readString(adminFile).isBlank()) {
                    String address = Files.readString(adminFile).trim();
                    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
                    return new EnvoyProcess(p, dir, address.substring(0, address.lastIndexOf(':')), port);
                }
                Thread.sleep(20);
            }
            p.destroyForcibly();
            throw new IllegalStateException("envoy did not open its admin port within " + START_TIMEOUT + ":\n"
                    + tail(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The admin block every test bootstrap uses: loopback, a port the kernel picks. */
    public static String adminYaml() {
        return "admin:\n  address:\n    socket_address: {address: 127.0.0.1, port_value: 0}\n";
    }

    public int adminPort() {
        return adminPort;
    }

    /** GET {@code path} on the admin API; the body, whatever the status. */
    public String admin(String path) {
        return get("http://" + adminHost + ":" + adminPort + path).body();
    }

    /** {@code /config_dump} (with EDS) as JSON. */
    public JsonNode configDump() {
        try {
            return JSON.readTree(admin("/config_dump?include_eds"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One counter or gauge of {@code /stats}, or -1 when Envoy has no such stat. */
    public long stat(String name) {
        for (String line : admin("/stats").split("\n")) {
            int colon = line.lastIndexOf(": ");
            if (colon > 0 && line.substring(0, colon).equals(name)) {
                return Long.parseLong(line.substring(colon + 2).trim());
            }
        }
        return -1;
    }

    /** What Envoy printed so far (its last 200 lines). */
    public String log() {
        return tail(dir.resolve("envoy.log"));
    }

    public boolean alive() {
        return process.isAlive();
    }

    private HttpResponse<String> get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 200), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
