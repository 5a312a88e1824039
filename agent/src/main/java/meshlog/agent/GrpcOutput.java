package meshlog.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --grpc-output DIR}, for proxyless gRPC: {@code key.pem} (0600), {@code cert-chain.pem},
 * {@code root-cert.pem}, the file names of istio-agent's {@code OUTPUT_CERTS}, and {@code bootstrap.json}, a gRPC
 * xDS bootstrap whose server is the agent's socket and whose {@code file_watcher} certificate provider
 * {@code default} reads those files. Each file is replaced whole (written beside it, then renamed), the key first,
 * so the provider's next refresh never reads a half-written file; on renewal all are rewritten.
 */
final class GrpcOutput {

    static final String KEY = "key.pem";
    static final String CHAIN = "cert-chain.pem";
    static final String ROOT = "root-cert.pem";
    static final String BOOTSTRAP = "bootstrap.json";
    /** The provider re-reads the files this often; a renewal is picked up within it. */
    static final String REFRESH = "5s";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Path socket;
    private final String cluster;
    private final String nodeId;

    GrpcOutput(Path dir, Path socket, String cluster, String nodeId) {
        this.dir = dir;
        this.socket = socket;
        this.cluster = cluster;
        this.nodeId = nodeId;
    }

    void write(Credentials c) {
        try {
            Files.createDirectories(dir);
            replace(KEY, c.privateKeyPem(), "rw-------");
            replace(CHAIN, c.certificateChainPem(), "rw-r--r--");
            replace(ROOT, c.rootsPem(), "rw-r--r--");
            replace(BOOTSTRAP, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(bootstrap(c)), "rw-r--r--");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the gRPC files to " + dir, e);
        }
    }

    /** The gRPC xDS bootstrap (gRFC A27, certificate providers as gRFC A29): node identity from the certificate. */
    Map<String, Object> bootstrap(Credentials c) {
        String[] path = c.spiffeId().split("/"); // spiffe://<td>/ns/<ns>/sa/<sa>
        String namespace = path.length > 4 ? path[4] : "default";
        String serviceAccount = path.length > 6 ? path[6] : "default";
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (cluster != null) {
            metadata.put("CLUSTER_ID", cluster);
        }
        metadata.put("NAMESPACE", namespace);
        metadata.put("SERVICE_ACCOUNT", serviceAccount);
        metadata.put("GENERATOR", "grpc");
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("id", nodeId != null ? nodeId
                : "sidecar~127.0.0.1~meshlog-agent." + namespace + "~" + namespace + ".svc.cluster.local");
        node.put("metadata", metadata);
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("certificate_file", dir.resolve(CHAIN).toAbsolutePath().toString());
        files.put("private_key_file", dir.resolve(KEY).toAbsolutePath().toString());
        files.put("ca_certificate_file", dir.resolve(ROOT).toAbsolutePath().toString());
        files.put("refresh_interval", REFRESH);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("xds_servers", List.of(Map.of("server_uri", "unix:" + socket.toAbsolutePath(),
                "channel_creds", List.of(Map.of("type", "insecure")), "server_features", List.of("xds_v3"))));
        root.put("node", node);
        root.put("certificate_providers", Map.of("default", Map.of("plugin_name", "file_watcher", "config", files)));
        root.put("server_listener_resource_name_template", "xds.istio.io/grpc/lds/inbound/%s");
        return root;
    }

    private void replace(String name, String text, String mode) throws IOException {
        Path target = dir.resolve(name);
        Path temp = dir.resolve("." + name + ".tmp");
        Files.deleteIfExists(temp);
        // Created with its mode, so the key is never readable by others, not even for an instant.
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
        Files.writeString(temp, text, StandardCharsets.US_ASCII);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
