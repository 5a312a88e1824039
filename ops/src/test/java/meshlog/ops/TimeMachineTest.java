package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshlog.configstore.event.EventCodec;
import meshlog.configstore.snapshot.SnapshotHistory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log as a time machine, as a user meets it: a running {@code meshlog up} (real broker, real git), commits that
 * change a gRPC split, one rejected, one with a kind typo; then {@code audit}, {@code state}, {@code diff} against
 * the running node's data dir, and a {@code rollback} that a real proxyless gRPC client follows. One story in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TimeMachineTest {

    static final int CALLS = 500;
    static final double TOLERANCE = 0.08;
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path tmp;
    static EchoBackends backends;
    static MeshRepo repo;
    static MeshlogNode node;
    static String c1;
    static String c2;
    static String bad;
    static String typo;
    static String rollback;

    @BeforeAll
    static void start() throws Exception {
        backends = EchoBackends.start("v1", "v2");
        repo = new MeshRepo(tmp.resolve("mesh"), backends.port("v1"), backends.port("v2"));
        c1 = repo.commit("echo-routing.yaml", MeshRepo.split(80, 20), "echo: canary 80/20");
        node = MeshlogNode.start(new UpOptions(repo.dir(), null, List.of("east"), 1, 0, 0, tmp.resolve("data"),
                null, Duration.ofMillis(100), "127.0.0.1"));
        awaitPublished(c1);
        c2 = repo.commit("echo-routing.yaml", MeshRepo.split(0, 100), "echo: all traffic to v2");
        awaitPublished(c2);
        bad = repo.commit("echo-routing.yaml", MeshRepo.split(-5, 100), "echo: oops");
        await().atMost(WAIT).until(() -> bad.equals(node.gitSync().lastProcessed()));
        typo = repo.commit("echo-routing.yaml", MeshRepo.split(0, 100).replace("kind: VirtualService",
                "kind: VirtualServce"), "echo: typo in kind");
        await().atMost(WAIT).until(() -> typo.equals(node.gitSync().lastProcessed()));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        backends.close();
        repo.close();
    }

    static void awaitPublished(String commit) {
        awaitPublished(node, commit);
    }

    static void awaitPublished(MeshlogNode node, String commit) {
        await().atMost(WAIT).until(() -> SnapshotHistory.publications(node.bootstrap(), new ArrayList<>()).stream()
                .anyMatch(p -> p.publication().scopes().get("grpc") != null
                        && commit.equals(p.publication().scopes().get("grpc").commit())));
    }

    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return EventCodec.json().readTree(out);
        }
    }

    static Run meshlog(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code meshlog state ARGS --data-dir} with a checkpoint after every commit: its output. */
    static String stateEveryEvent(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--data-dir", dataDir()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = StateCommand.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), 1);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    static String dataDir() {
        return tmp.resolve("data").toString();
    }

    @Test
    @Order(1)
    void auditOfTheRunningNodesDataDirReadsThroughItsBrokerAddress() throws Exception {
        assertThat(Files.readString(tmp.resolve("data").resolve(LogSource.ADDRESS_FILE)).strip())
                .isEqualTo(node.bootstrap());
        Run audit = meshlog("audit", "--data-dir", dataDir(), "-o", "json");
        assertThat(audit.code()).as(audit.err()).isZero();
        JsonNode commits = audit.json().get("commits");
        assertThat(audit.json().get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(commits).extracting(c -> c.get("sha").asText(), c -> c.get("outcome").asText()).containsExactly(
                org.assertj.core.groups.Tuple.tuple(c1, "applied"), org.assertj.core.groups.Tuple.tuple(c2, "applied"),
                org.assertj.core.groups.Tuple.tuple(bad, "rejected"),
                org.assertj.core.groups.Tuple.tuple(typo, "rejected"));
        JsonNode change = commits.get(1).get("changes").get(0);
        assertThat(change.get("op").asText()).isEqualTo("changed");
        assertThat(change.get("resource").toString())
                .isEqualTo("{\"kind\":\"VirtualService\",\"namespace\":\"demo\",\"name\":\"echo\"}");
        assertThat(change.get("fields").toString()).isEqualTo("[{\"path\":\"spec.http[0].route[0].weight\","
                + "\"op\":\"changed\",\"before\":\"80\",\"after\":\"0\"},{\"path\":\"spec.http[0].route[1].weight\","
                + "\"op\":\"changed\",\"before\":\"20\",\"after\":\"100\"}]");
        assertThat(commits.get(2).get("errors").get(0).get("code").asText()).isEqualTo("VS0101");
        assertThat(commits.get(3).get("errors").get(0).get("message").asText())
                .isEqualTo("networking.istio.io has no kind VirtualServce; did you mean VirtualService?");
        JsonNode pubs = audit.json().get("publications");
        assertThat(pubs).extracting(p -> p.get("cluster").asText()).containsOnly("east");
        assertThat(pubs).extracting(p -> p.get("commits").toString()).containsSubsequence(
                "[\"" + c1 + "\"]", "[\"" + c2 + "\"]");
    }

    @Test
    @Order(2)
    void auditFiltersByResourceAuthorTimeAndCluster() throws Exception {
        Run byResource = meshlog("audit", "--data-dir", dataDir(), "--resource", "VirtualService/demo/echo",
                "-o", "json");
        assertThat(byResource.json().get("commits")).extracting(c -> c.get("sha").asText())
                .as("the kind typo is the VirtualService's commit too").containsExactly(c1, c2, bad, typo);
        Run byAuthor = meshlog("audit", "--data-dir", dataDir(), "--author", "nobody@example.com", "-o", "json");
        assertThat(byAuthor.json().get("commits")).isEmpty();
        Run future = meshlog("audit", "--data-dir", dataDir(), "--since", "2999-01-01", "-o", "json");
        assertThat(future.json().get("commits")).isEmpty();
        assertThat(future.json().get("publications")).isEmpty();
        Run otherCluster = meshlog("audit", "--data-dir", dataDir(), "--cluster", "west", "-o", "json");
        assertThat(otherCluster.json().get("publications")).isEmpty();

        Run text = meshlog("audit", "--data-dir", dataDir(), "--resource", "VirtualService/demo/echo");
        assertThat(text.out()).containsSubsequence(
                "applied   " + c2.substring(0, 8) + "  Alice <alice@example.com>  \"echo: all traffic to v2\"",
                "    ~ VirtualService demo/echo  (echo-routing.yaml:1)",
                "        spec.http[0].route[0].weight: 80 -> 0",
                "        spec.http[0].route[1].weight: 20 -> 100",
                "rejected  " + bad.substring(0, 8),
                "    echo-routing.yaml:9:7: error [VS0101] VirtualService demo/echo spec.http[0].route[0].weight",
                "published  cluster east  commit " + c1.substring(0, 8),
                "2 commits applied, 2 rejected");
    }

    @Test
    @Order(3)
    void stateAtACommitIsItsConfigAndWithAClusterTheXdsThatClusterWasServed() throws Exception {
        Run state = meshlog("state", "--data-dir", dataDir(), "--at", c1.substring(0, 10), "-o", "json");
        assertThat(state.code()).as(state.err()).isZero();
        assertThat(state.json().get("commit").asText()).isEqualTo(c1);
        assertThat(state.json().get("objects")).extracting(o -> o.get("kind").asText())
                .containsExactly("DestinationRule", "ServiceEntry", "VirtualService");
        assertThat(state.json().get("objects").get(2).at("/spec/http/0/route/0/weight").asInt()).isEqualTo(80);

        Run atTypo = meshlog("state", "--data-dir", dataDir(), "--at", typo, "-o", "json");
        assertThat(atTypo.json().get("commit").asText()).as("rejected commits change nothing").isEqualTo(c2);
        assertThat(atTypo.json().get("objects").get(2).at("/spec/http/0/route/1/weight").asInt()).isEqualTo(100);

        JsonNode route1 = grpcRoute(c1);
        assertThat(route1.at("/weightedClusters/clusters").toString()).isEqualTo("[{\"name\":\"outbound|50051|v1|"
                + "echo.demo.svc.cluster.local\",\"weight\":80},{\"name\":\"outbound|50051|v2|"
                + "echo.demo.svc.cluster.local\",\"weight\":20}]");
        assertThat(grpcRoute(c2).get("cluster").asText()).as("0/100: one cluster")
                .isEqualTo("outbound|50051|v2|echo.demo.svc.cluster.local");
    }

    /** The route action east's gRPC proxies were published for a commit, from the recorded xDS. */
    static JsonNode grpcRoute(String commit) throws Exception {
        Run xds = meshlog("state", "--data-dir", dataDir(), "--at", commit, "--cluster", "east", "-o", "json");
        assertThat(xds.code()).as(xds.err()).isZero();
        assertThat(xds.json().get("missing")).isEmpty();
        // Placed by the checkpoints' index (a checkpoint a commit: the first call writes them, the second finds the
        // point in their files, not in the log's tail), and by the whole log: the same answer.
        String checkpoints = tmp.resolve("cluster-checkpoints").toString();
        for (int call = 0; call < 2; call++) {
            assertThat(stateEveryEvent("--at", commit, "--cluster", "east", "-o", "json", "--checkpoint-dir",
                    checkpoints)).isEqualTo(xds.out());
        }
        assertThat(meshlog("state", "--data-dir", dataDir(), "--at", commit, "--cluster", "east", "-o", "json",
                "--no-checkpoints").out()).isEqualTo(xds.out());
        assertThat(xds.json().at("/scopes/grpc/commit").asText()).isEqualTo(commit);
        return xds.json().at("/scopes/grpc/resources")
                .get("type.googleapis.com/envoy.config.route.v3.RouteConfiguration")
                .get("echo.demo.svc.cluster.local:50051").at("/virtualHosts/0/routes/0/route");
    }

    @Test
    @Order(4)
    void diffShowsTheChangedFieldsOfConfigAndOfTheClustersXds() {
        Run config = meshlog("diff", "--data-dir", dataDir(), c1, c2);
        assertThat(config.code()).isEqualTo(1);
        assertThat(config.out().lines()).containsExactly("~ VirtualService demo/echo",
                "    spec.http[0].route[0].weight: 80 -> 0", "    spec.http[0].route[1].weight: 20 -> 100",
                "1 differ");
        assertThat(meshlog("diff", "--data-dir", dataDir(), c2, typo).out()).isEqualTo("no differences\n");

        Run xds = meshlog("diff", "--data-dir", dataDir(), c1, c2, "--cluster", "east");
        assertThat(xds.code()).as(xds.err()).isEqualTo(1);
        assertThat(xds.out()).contains("~ grpc RouteConfiguration echo.demo.svc.cluster.local:50051\n"
                + "    virtualHosts[0].routes[0].route.cluster: (none) -> \\\"outbound|50051|v2|"
                + "echo.demo.svc.cluster.local\\\"\n"
                + "    virtualHosts[0].routes[0].route.weightedClusters: {\\\"clusters\\\":[");
    }

    @Test
    @Order(5)
    void rollbackCommitsTheOldTreeAndARealClientFollowsIt() throws Exception {
        try (ProxylessClient east = new ProxylessClient(node.replicas().get(0).server().address(), "east",
                MeshRepo.TARGET)) {
            await().atMost(WAIT).ignoreExceptions().until(() -> east.spread(20).equals(Map.of("v2", 20)));

            Run rb = meshlog("rollback", "--data-dir", dataDir(), "--to", c1.substring(0, 8));
            assertThat(rb.code()).as(rb.err()).isZero();
            rollback = rb.out().lines().reduce((a, b) -> b).orElseThrow();
            assertThat(rb.out()).startsWith("committed " + rollback.substring(0, 8) + " on main: the tree of "
                    + c1.substring(0, 8) + " (\"echo: canary 80/20\")");

            await().atMost(WAIT).until(() -> rollback.equals(node.reconciler().state().lastApplied() == null ? null
                    : node.reconciler().state().lastApplied().sha()));
            await().atMost(WAIT).until(() -> east.spread(20).getOrDefault("v1", 0) > 0);
            Map<String, Integer> spread = east.spread(CALLS);
            assertThat(spread.getOrDefault("v1", 0) / (double) CALLS).isBetween(0.8 - TOLERANCE, 0.8 + TOLERANCE);
        }
        Run audit = meshlog("audit", "--data-dir", dataDir(), "-o", "json");
        JsonNode last = audit.json().get("commits").get(4);
        assertThat(last.get("sha").asText()).isEqualTo(rollback);
        assertThat(last.get("message").asText()).isEqualTo("Roll back to " + c1.substring(0, 8)
                + ": echo: canary 80/20\n\nRestores the tree of commit " + c1 + ".\n\nMeshlog-Rollback-To: " + c1);
        assertThat(meshlog("diff", "--data-dir", dataDir(), c1, rollback).out()).isEqualTo("no differences\n");
        assertThat(meshlog("rollback", "--data-dir", dataDir(), "--to", c1).out())
                .contains("already has the tree of " + c1.substring(0, 8));
    }

    @Test
    @Order(6)
    void aPinServesAnOldCommitAtOnceNewerCommitsAreRecordedNotServedUntilUnpin() throws Exception {
        try (ProxylessClient east = new ProxylessClient(node.replicas().get(0).server().address(), "east",
                MeshRepo.TARGET)) {
            await().atMost(WAIT).ignoreExceptions().until(() -> east.spread(20).getOrDefault("v1", 0) > 0);

            // git unreachable (a repository that is not there): the pin still serves c2 (all to v2) at once.
            Run pin = meshlog("rollback", "--data-dir", dataDir(), "--to", c2, "--pin", "--message", "incident 42",
                    "--repo", tmp.resolve("unreachable").toString());
            assertThat(pin.code()).isEqualTo(2);
            assertThat(pin.out()).startsWith("pinned " + c2.substring(0, 8) + " (3 objects): served now");
            assertThat(pin.err()).contains(c2 + " is pinned (served), but the revert commit was not written");
            await().atMost(WAIT).until(() -> east.spread(20).equals(Map.of("v2", 20)));
            assertThat(new NodeStatus(node).status().pinned()).extracting(NodeStatus.Pinned::commit,
                    NodeStatus.Pinned::reason).containsExactly(c2, "incident 42");

            String drift = repo.commit("echo-routing.yaml", MeshRepo.split(50, 50), "echo: 50/50");
            await().atMost(WAIT).until(() -> drift.equals(node.gitSync().lastProcessed()));
            Thread.sleep(1_000); // a publication of the drift, were there one, would be out by now
            assertThat(east.spread(100)).as("recorded, not served").isEqualTo(Map.of("v2", 100));
            Run audit = meshlog("audit", "--data-dir", dataDir());
            assertThat(audit.out()).containsSubsequence("  pinned    " + c2.substring(0, 8) + "  by ",
                    "  \"incident 42\"", "applied   " + drift.substring(0, 8),
                    "    recorded, not served: " + c2.substring(0, 8) + " is pinned");
            Run state = meshlog("state", "--data-dir", dataDir(), "--at", drift, "-o", "json");
            assertThat(state.json().get("commit").asText()).isEqualTo(c2);
            assertThat(state.json().get("lastApplied").asText()).isEqualTo(drift);
            assertThat(state.json().get("pinned").asBoolean()).isTrue();

            Run unpin = meshlog("unpin", "--data-dir", dataDir());
            assertThat(unpin.out()).startsWith("unpinned " + c2.substring(0, 8) + ": the last applied commit ("
                    + drift.substring(0, 8) + ") is served again");
            await().atMost(WAIT).until(() -> east.spread(20).getOrDefault("v1", 0) > 0);
            Map<String, Integer> spread = east.spread(CALLS);
            assertThat(spread.getOrDefault("v1", 0) / (double) CALLS).isBetween(0.5 - TOLERANCE, 0.5 + TOLERANCE);
            assertThat(meshlog("unpin", "--data-dir", dataDir()).out()).isEqualTo("nothing is pinned\n");
            await().atMost(WAIT).until(() -> new NodeStatus(node).status().pinned() == null);
        }
    }

    @Test
    @Order(7)
    void rollbackWithPinEndsThePinByItselfOnceGitHasTheTree() throws Exception {
        Run rb = meshlog("rollback", "--data-dir", dataDir(), "--to", c2, "--pin");
        assertThat(rb.code()).as(rb.err()).isZero();
        String revert = rb.out().lines().reduce((a, b) -> b).orElseThrow();
        await().atMost(WAIT).until(() -> revert.equals(node.gitSync().lastProcessed()));
        await().atMost(WAIT).until(() -> node.reconciler().state().pin() == null);
        assertThat(meshlog("audit", "--data-dir", dataDir()).out()).containsSubsequence(
                "  pinned    " + c2.substring(0, 8), "applied   " + revert.substring(0, 8),
                "  unpinned  " + c2.substring(0, 8) + "  git has its tree again");
    }
}
