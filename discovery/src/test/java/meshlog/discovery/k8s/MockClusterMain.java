package meshlog.discovery.k8s;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@link MockCluster} as a process of its own, for tests of other modules: the mock server needs Vert.x 5.2,
 * which cannot share a class path with the 5.0.7 of ops's admin servers. Prints
 * {@code mock-api-server port=<port> kubeconfig=<file>}, then serves until its standard input closes (the parent
 * ends, or closes it), so it never outlives the test that started it.
 *
 * <p>Class path: {@code discovery/target/test-classes}, {@code discovery/target/classes} and the entries of
 * {@code discovery/target/test-classpath.txt} (written by the build).
 */
public final class MockClusterMain {

    private MockClusterMain() {
    }

    /** @param args a directory for the kubeconfig, and the cluster's name */
    public static void main(String[] args) throws IOException {
        try (MockCluster cluster = new MockCluster(Path.of(args[0]), args[1])) {
            System.out.println("mock-api-server port=" + cluster.port() + " kubeconfig=" + cluster.kubeconfig());
            System.out.flush();
            while (System.in.read() >= 0) {
                // nothing is read; EOF ends the server
            }
        }
    }
}
