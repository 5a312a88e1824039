package meshlog.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image tarball as a container runtime would read it: its config names the entry point, user, working directory
 * and ports; its layers hold the runtime, the class path file and meshlog's jars; and, as root, the layers unpacked
 * and entered with chroot (a mount namespace of its own with /proc and /dev, as a container has) run
 * {@code meshlog init} and {@code meshlog up} as the image's user until {@code /readyz} answers 200.
 */
class ImageTarballTest {

    static final List<String> ENTRYPOINT = List.of("/opt/java/bin/java", "-XX:MaxRAMPercentage=75",
            "-XX:+ExitOnOutOfMemoryError", "-cp", "@/app/jib-classpath-file", "meshlog.ops.Main");

    @TempDir
    static Path tmp;
    static Path root;
    static JsonNode config;

    @BeforeAll
    static void unpack() throws Exception {
        Path tar = Path.of(System.getProperty("image.tar", "target/jib-image.tar"));
        assertThat(tar).as("the image tarball the package phase writes").exists();
        Path image = Files.createDirectories(tmp.resolve("image"));
        run(List.of("tar", "-xf", tar.toString(), "-C", image.toString()), Duration.ofSeconds(60));
        ObjectMapper json = new ObjectMapper();
        JsonNode manifest = json.readTree(image.resolve("manifest.json").toFile()).get(0);
        config = json.readTree(image.resolve(manifest.get("Config").asText()).toFile()).get("config");
        root = Files.createDirectories(tmp.resolve("root"));
        for (JsonNode layer : manifest.get("Layers")) {
            run(List.of("tar", "-xzf", image.resolve(layer.asText()).toString(), "-C", root.toString()),
                    Duration.ofSeconds(60));
        }
    }

    @Test
    void theConfigRunsMeshlogAsANonRootUserWithItsPorts() {
        List<String> entrypoint = new ArrayList<>();
        config.get("Entrypoint").forEach(a -> entrypoint.add(a.asText()));
        assertThat(entrypoint).isEqualTo(ENTRYPOINT);
        assertThat(config.get("User").asText()).isEqualTo("65532:65532");
        assertThat(config.get("WorkingDir").asText()).isEqualTo("/var/lib/meshlog");
        List<String> ports = new ArrayList<>();
        config.get("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        assertThat(ports).containsExactlyInAnyOrder("15010/tcp", "15012/tcp", "15014/tcp", "15016/tcp");
    }

    @Test
    void theLayersHoldTheRuntimeTheClassPathAndMeshlog() throws IOException {
        assertThat(root.resolve("opt/java/bin/java")).isExecutable();
        List<String> classPath = List.of(Files.readString(root.resolve("app/jib-classpath-file")).strip().split(":"));
        assertThat(classPath).contains("/app/libs/meshlog.jar", "/app/libs/meshlog-reconciler-0.1.0-SNAPSHOT.jar");
        for (String entry : classPath) {
            if (entry.startsWith("/app/libs/")) {
                assertThat(root.resolve(entry.substring(1))).as("class path entry %s", entry).isRegularFile();
            }
        }
        assertThat(Files.readString(root.resolve("etc/passwd"))).contains("meshlog:x:65532:65532:");
    }

    @Test
    void asTheImagesUserInAChrootMeshlogInitsAndComesUpReady() throws Exception {
        if (!"0".equals(run(List.of("id", "-u"), Duration.ofSeconds(5)).strip())
                || !Files.isExecutable(Path.of("/usr/bin/unshare")) && !Files.isExecutable(Path.of("/bin/unshare"))) {
            System.out.println("image chroot test skipped: it needs root and unshare (util-linux) to chroot into the"
                    + " image's layers");
            return;
        }
        String init = inImage("init /var/lib/meshlog/my-mesh-config", Duration.ofSeconds(60));
        assertThat(init).contains("my-mesh-config");
        int admin = freePort();
        Path log = tmp.resolve("up.log");
        Process up = new ProcessBuilder("unshare", "--mount", "--fork", "sh", "-c",
                // Every xDS and CA port 0 (any free): a run of consecutive ports from one free one may meet a port
                // another process on the machine holds.
                container("up --repo /var/lib/meshlog/my-mesh-config --admin-port " + admin + " --xds-port 0"
                        + " --xds-tls-port 0 --ca-port 0 --data-dir /var/lib/meshlog/data"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            int status = -1;
            while (System.nanoTime() < deadline && up.isAlive() && status != 200) {
                try {
                    status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/readyz"))
                            .timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException e) {
                    // not listening yet
                }
                if (status != 200) {
                    Thread.sleep(250);
                }
            }
            assertThat(status).as("readyz of up in the image; its output: %s", Files.readString(log)).isEqualTo(200);
            // Written by the image's user in its working directory.
            assertThat(root.resolve("var/lib/meshlog/data")).isDirectory();
            assertThat(Files.getOwner(root.resolve("var/lib/meshlog/data")).getName()).isIn("65532", "meshlog");
        } finally {
            up.descendants().forEach(ProcessHandle::destroy);
            up.destroy();
            if (!up.waitFor(30, TimeUnit.SECONDS)) {
                up.descendants().forEach(ProcessHandle::destroyForcibly);
                up.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * A shell line that mounts /proc and /dev in the image's root and runs the entry point there as the image's user.
     * chroot(1) starts in {@code /}, not the image's working directory, so the commands are given absolute paths.
     */
    static String container(String args) {
        String r = root.toString();
        return "mount -t proc proc " + r + "/proc && mount --rbind /dev " + r + "/dev && exec chroot --userspec="
                + "65532:65532 " + r + " " + String.join(" ", ENTRYPOINT) + " " + args;
    }

    static String inImage(String args, Duration within) throws Exception {
        return run(List.of("unshare", "--mount", "--fork", "sh", "-c", container(args)), within);
    }

    static String run(List<String> command, Duration within) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(within.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not end within " + within);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s: %s", command, text).isZero();
        return text;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
