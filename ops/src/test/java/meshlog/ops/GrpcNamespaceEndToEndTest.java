package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshlog.configstore.event.EventCodec;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proxyless gRPC clients of different namespaces, the whole path as a user meets it: Istio's bookinfo-style
 * {@code reviews} in namespace {@code default}, committed to a real git repository, through a real Kafka broker
 * and reconciler to a real distributor, dialed by grpc-java's own xDS client with the names Istio's proxyless
 * gRPC supports. Each backend says who answered, so every assertion names the exact backend.
 *
 * <p>The VirtualService sends clients of namespace {@code test} ({@code sourceNamespace}) to v3 and everyone else
 * to v2; v1 gets nothing, so a call that reached v1 would be one the VirtualService did not route.
 */
class GrpcNamespaceEndToEndTest {

    static final String CLUSTER = "east";
    static final String FULL = "reviews.default.svc.cluster.local:9080";
    static final String SHORT = "reviews:9080";

    @TempDir
    static Path tmp;
    static EchoBackends backends;
    static Git git;
    static MeshlogNode node;

    @BeforeAll
    static void startEverything() throws Exception {
        backends = EchoBackends.start("v1", "v2", "v3");
        Path repo = tmp.resolve("mesh");
        git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call();
        Files.writeString(repo.resolve("reviews.yaml"), config());
        git.add().addFilepattern(".").call();
        git.commit().setMessage("reviews: v3 for namespace test, v2 for the rest")
                .setAuthor(new PersonIdent("Alice", "alice@example.com")).setSign(false).call();
        node = MeshlogNode.start(new UpOptions(repo, null, List.of(CLUSTER), 1, 0, 0, tmp.resolve("data"), null,
                Duration.ofMillis(100), "127.0.0.1"));
    }

    @AfterAll
    static void stopEverything() {
        if (node != null) {
            node.close();
        }
        if (backends != null) {
            backends.close();
        }
        if (git != null) {
            git.close();
        }
    }

    static String config() {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: reviews, namespace: default}
                spec:
                  hosts: [reviews.default.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9080, name: grpc, protocol: GRPC}]
                  endpoints:
                  - {address: 127.0.0.1, ports: {grpc: %d}, labels: {version: v1}}
                  - {address: 127.0.0.1, ports: {grpc: %d}, labels: {version: v2}}
                  - {address: 127.0.0.1, ports: {grpc: %d}, labels: {version: v3}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews, namespace: default}
                spec:
                  host: reviews
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                  - {name: v3, labels: {version: v3}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews, namespace: default}
                spec:
                  hosts: [reviews]
                  http:
                  - match:
                    - sourceNamespace: test
                    route:
                    - destination: {host: reviews, subset: v3}
                  - route:
                    - destination: {host: reviews, subset: v2}
                """.formatted(backends.port("v1"), backends.port("v2"), backends.port("v3"));
    }

    /** A client in {@code namespace} dialing {@code xds:///<target>}, once its first call has gone through. */
    static ProxylessClient client(String namespace, String target) {
        String distributor = node.replicas().get(0).server().address();
        ProxylessClient c = new ProxylessClient(List.of(distributor), CLUSTER, target, namespace);
        try {
            // The commit reaches the distributor through git-sync, Kafka and the reconciler; a fresh client's first
            // call resolves LDS, RDS, CDS, EDS (1-2 s in a fresh JVM).
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> EchoBackends.who(c.channel) != null);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    @Test
    void aDefaultClientDialingTheShortNameReachesTheBackendTheVirtualServiceRoutesItTo() {
        try (ProxylessClient c = client("default", SHORT)) {
            assertThat(c.spread(50)).isEqualTo(Map.of("v2", 50));
        }
    }

    @Test
    void theFullNameStillWorksFromTheServicesNamespaceAndFromOneTheConfigNeverNames() {
        try (ProxylessClient inDefault = client("default", FULL);
             ProxylessClient elsewhere = client("elsewhere", FULL)) {
            assertThat(inDefault.spread(50)).isEqualTo(Map.of("v2", 50));
            assertThat(elsewhere.spread(50)).isEqualTo(Map.of("v2", 50));
        }
    }

    @Test
    void sourceNamespaceRoutesAClientOfThatNamespaceElsewhere() {
        try (ProxylessClient test = client("test", FULL);
             ProxylessClient shorter = client("test", "reviews.default:9080");
             ProxylessClient inDefault = client("default", SHORT)) {
            assertThat(test.spread(50)).isEqualTo(Map.of("v3", 50));
            assertThat(shorter.spread(50)).isEqualTo(Map.of("v3", 50));
            assertThat(inDefault.spread(50)).isEqualTo(Map.of("v2", 50));
        }
    }

    @Test
    void theAdminApiShowsEachClientInItsNamespacesScopeAndInSync() throws Exception {
        try (ProxylessClient inDefault = client("default", SHORT);
             ProxylessClient test = client("test", FULL)) {
            HttpClient http = HttpClient.newHttpClient();
            URI status = URI.create("http://127.0.0.1:" + node.adminPort() + "/api/proxies");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode body = EventCodec.json().readTree(http.send(HttpRequest.newBuilder(status).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                List<String> seen = new ArrayList<>();
                body.path("items").forEach(p -> {
                    String ns = p.path("proxyId").asText().replaceAll(".*\\.([^.~]+)~.*", "$1");
                    seen.add(ns + " " + p.path("scope").asText() + " " + p.path("namespace").asText() + " "
                            + p.path("state").asText());
                });
                assertThat(seen).containsExactlyInAnyOrder("default grpc~default default SYNCED",
                        "test grpc~test test SYNCED");
            });
        }
    }
}
