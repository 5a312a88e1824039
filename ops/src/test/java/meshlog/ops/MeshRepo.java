package meshlog.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;

/** A real git repository holding the echo service's config, changed by commits as a user would. */
final class MeshRepo implements AutoCloseable {

    static final String TARGET = "echo.demo.svc.cluster.local:50051";

    private final Git git;
    private final Path dir;

    MeshRepo(Path dir, int v1Port, int v2Port) throws Exception {
        this.dir = dir;
        this.git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        Files.writeString(dir.resolve("echo-service.yaml"), service(v1Port, v2Port));
    }

    static String service(int v1Port, int v2Port) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: echo, namespace: demo}
                spec:
                  hosts: [echo.demo.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 50051, name: grpc, protocol: GRPC}]
                  endpoints:
                  - {address: 127.0.0.1, ports: {grpc: %d}, labels: {version: v1}}
                  - {address: 127.0.0.1, ports: {grpc: %d}, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1beta1
                kind: DestinationRule
                metadata: {name: echo, namespace: demo}
                spec:
                  host: echo
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                """.formatted(v1Port, v2Port);
    }

    static String split(int v1, int v2) {
        return """
                apiVersion: networking.istio.io/v1alpha3
                kind: VirtualService
                metadata: {name: echo, namespace: demo}
                spec:
                  hosts: [echo]
                  http:
                  - route:
                    - destination: {host: echo, subset: v1}
                      weight: %d
                    - destination: {host: echo, subset: v2}
                      weight: %d
                """.formatted(v1, v2);
    }

    /** Writes {@code file} and commits everything; returns the commit's sha. */
    String commit(String file, String content, String message) throws Exception {
        return commit(file, content, message, new PersonIdent("Alice", "alice@example.com"));
    }

    /** Writes {@code file} and commits everything as {@code author}; returns the commit's sha. */
    String commit(String file, String content, String message, PersonIdent author) throws Exception {
        Files.writeString(dir.resolve(file), content);
        git.add().addFilepattern(".").call();
        return git.commit().setMessage(message).setAuthor(author).setSign(false).call().name();
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        git.close();
    }
}
