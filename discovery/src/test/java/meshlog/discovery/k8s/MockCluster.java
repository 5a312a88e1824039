package meshlog.discovery.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * A simulated cluster: fabric8's Kubernetes mock API server in CRUD mode (objects stored, LIST and WATCH served as
 * a kube-apiserver does, no controllers) on 127.0.0.1, and a kubeconfig pointing at it, so that discovery connects
 * exactly as it would to a real API server. It can be stopped and started again on the same port with the same
 * objects (an API server outage).
 */
final class MockCluster implements AutoCloseable {

    /** The mock server logs every request at INFO through java.util.logging; held so the level sticks. */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        QUIET.setLevel(java.util.logging.Level.WARNING);
    }

    private final KubernetesCrudDispatcher objects = new KubernetesCrudDispatcher();
    private final int port;
    private final Path kubeconfig;
    private KubernetesMockServer server;
    private KubernetesClient client;

    MockCluster(Path dir, String name) {
        this(dir, name, freePort());
        start();
    }

    /** A kubeconfig for {@code port} with nothing listening yet: {@link #start()} brings the server up. */
    MockCluster(Path dir, String name, int port) {
        this.port = port;
        this.kubeconfig = dir.resolve(name + ".kubeconfig");
        writeKubeconfig(kubeconfig, name, port);
    }

    /** A kubeconfig naming an API server at 127.0.0.1:{@code port}, no TLS, a token the mock does not check. */
    static Path writeKubeconfig(Path file, String name, int port) {
        try {
            Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: %1$s
                      cluster:
                        server: http://127.0.0.1:%2$d
                    contexts:
                    - name: %1$s
                      context:
                        cluster: %1$s
                        user: %1$s
                        namespace: default
                    current-context: %1$s
                    users:
                    - name: %1$s
                      user:
                        token: not-checked-by-the-mock
                    """.formatted(name, port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), objects, false);
        server.init(InetAddress.getLoopbackAddress(), port);
        client = server.createClient();
    }

    void stop() {
        client.close();
        server.destroy();
        server = null;
    }

    /** A client of the test's own, to create and change objects as kubectl would. */
    KubernetesClient kube() {
        return client;
    }

    Path kubeconfig() {
        return kubeconfig;
    }

    int port() {
        return port;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            stop();
        }
    }
}
