package meshlog.ops;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fabric8's Kubernetes mock API server (CRUD mode: objects stored, LIST and WATCH served, no controllers) in a JVM
 * of its own: no kube-apiserver can run here, and the mock's Vert.x 5.2 cannot share this module's class path
 * (ops runs Vert.x 5.0.7). The child is discovery's {@code MockClusterMain}, on the class path the discovery build
 * wrote. The test reaches it as kubectl would: through the kubeconfig it wrote, with fabric8's client; so does
 * discovery, which cannot tell it from a real API server.
 */
final class MockApiServer implements AutoCloseable {

    static final Path DISCOVERY = Path.of("../discovery/target");
    private static final Pattern READY = Pattern.compile("mock-api-server port=(\\d+) kubeconfig=(\\S+)");

    private final Process process;
    private final Path kubeconfig;
    private final KubernetesClient client;

    private MockApiServer(Process process, Path kubeconfig) {
        this.process = process;
        this.kubeconfig = kubeconfig;
        this.client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(read(kubeconfig))).build();
    }

    /** Starts the server for cluster {@code name}, its kubeconfig in {@code dir}; waits up to 60 s for it. */
    static MockApiServer start(Path dir, String name) throws Exception {
        Files.createDirectories(dir);
        String cp = String.join(java.io.File.pathSeparator, DISCOVERY.resolve("test-classes").toString(),
                DISCOVERY.resolve("classes").toString(),
                Files.readString(DISCOVERY.resolve("test-classpath.txt")).strip());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", cp, "meshlog.discovery.k8s.MockClusterMain", dir.toString(), name));
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("mock-api-server.err").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            String first = line.get(60, TimeUnit.SECONDS);
            Matcher m = first == null ? null : READY.matcher(first);
            if (m == null || !m.find()) {
                throw new IllegalStateException("mock API server did not start: " + first + "; "
                        + Files.readString(dir.resolve("mock-api-server.err")));
            }
            return new MockApiServer(p, Path.of(m.group(2)));
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path kubeconfig() {
        return kubeconfig;
    }

    /** A client of the test's own, to create and change objects as kubectl would. */
    KubernetesClient kube() {
        return client;
    }

    @Override
    public void close() throws Exception {
        client.close();
        process.getOutputStream().close(); // EOF on its stdin: it stops its server and exits
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
