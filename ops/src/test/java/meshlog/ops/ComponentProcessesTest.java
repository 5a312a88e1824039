package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.kafka.KafkaEventLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane split into processes, as issue 9 runs it: {@code meshlog kafka}, {@code git-sync},
 * {@code reconciler} and three {@code distributor}s (two for east behind one {@link LoopbackService} address, as a
 * Kubernetes Service would put them, one for west), each its own JVM, and grpc-java xDS clients in both clusters. Each kind of process is killed with SIGKILL in turn while commits keep coming: the
 * clients keep their last good config, every commit is recorded once, and all converge after the restart. One story
 * in order; the figures it prints are measurements on this machine, not assertions.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComponentProcessesTest {

    static final Duration START = Duration.ofSeconds(90);
    static final Duration CONVERGE = Duration.ofSeconds(30);

    @TempDir
    static Path tmp;
    static EchoBackends backends;
    static MeshRepo repo;
    static String kafka;
    static final List<ChildProcess> children = new ArrayList<>();
    static ChildProcess gitSync;
    static ChildProcess reconciler;
    static final Map<String, ChildProcess> distributors = new java.util.TreeMap<>();
    static final Map<String, String> xds = new java.util.TreeMap<>();
    static final Map<String, String> admin = new java.util.TreeMap<>();
    static LoopbackService eastService;
    static ProxylessClient east;
    static ProxylessClient west;

    @BeforeAll
    static void startProcesses() throws Exception {
        backends = EchoBackends.start("v1", "v2");
        repo = new MeshRepo(tmp.resolve("mesh"), backends.port("v1"), backends.port("v2"));
        repo.commit("echo-routing.yaml", MeshRepo.split(100, 0), "echo: all to v1");
        ChildProcess broker = keep(ChildProcess.start(tmp.resolve("logs"), "kafka", "512m", "kafka",
                "--data-dir", tmp.resolve("kafka").toString(), "--port", "0"));
        kafka = broker.await("kafka at (\\S+)", START);
        gitSync = startGitSync();
        reconciler = startReconciler();
        for (String name : List.of("east-0", "east-1", "west-0")) {
            startDistributor(name);
        }
        eastService = new LoopbackService(List.of(xds.get("east-0"), xds.get("east-1")));
        east = new ProxylessClient(eastService.address(), "east", MeshRepo.TARGET);
        west = new ProxylessClient(xds.get("west-0"), "west", MeshRepo.TARGET);
    }

    static ChildProcess keep(ChildProcess c) {
        children.add(c);
        return c;
    }

    static String adminPort(ChildProcess c) throws Exception {
        return c.adminPort(START);
    }

    static ChildProcess startGitSync() throws Exception {
        ChildProcess c = keep(ChildProcess.start(tmp.resolve("logs"), "git-sync-" + children.size(), "192m",
                "git-sync", "--kafka", kafka, "--repo", repo.dir().toString(), "--poll", "200ms", "--admin-port", "0",
                "--data-dir", tmp.resolve("git-sync").toString()));
        admin.put("git-sync", adminPort(c));
        return c;
    }

    static ChildProcess startReconciler() throws Exception {
        ChildProcess c = keep(ChildProcess.start(tmp.resolve("logs"), "reconciler-" + children.size(), "256m",
                "reconciler", "--kafka", kafka, "--clusters", "east,west", "--admin-port", "0"));
        admin.put("reconciler", adminPort(c));
        return c;
    }

    static void startDistributor(String name) throws Exception {
        String cluster = name.substring(0, name.indexOf('-'));
        ChildProcess c = keep(ChildProcess.start(tmp.resolve("logs"), name + "-" + children.size(), "192m",
                "distributor", "--kafka", kafka, "--cluster", cluster, "--xds-port", "0", "--xds-tls-port", "0",
                "--admin-port", "0",
                "--ca-dir", tmp.resolve("ca").toString(), "--data-dir", tmp.resolve(name).toString()));
        distributors.put(name, c);
        xds.put(name, "127.0.0.1:" + c.await("started distributor cluster=" + cluster + " at [^:]+:(\\d+)", START));
        admin.put(name, adminPort(c));
    }

    @AfterAll
    static void stopProcesses() throws Exception {
        for (ProxylessClient c : new ProxylessClient[] {east, west}) {
            if (c != null) {
                c.close();
            }
        }
        // Components before the broker, so they do not spend their stop timeout retrying it.
        for (int i = children.size() - 1; i >= 0; i--) {
            children.get(i).close();
        }
        if (eastService != null) {
            eastService.close();
        }
        backends.close();
        repo.close();
    }

    static HttpResponse<String> get(String component, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + admin.get(component) + path)).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static boolean only(ProxylessClient c, String version) {
        try {
            return c.spread(20).equals(Map.of(version, 20));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Commits, and returns how long until both clusters' clients answer only from {@code version}. */
    static long commitAndConverge(int v1, int v2, String version) throws Exception {
        repo.commit("echo-routing.yaml", MeshRepo.split(v1, v2), "echo: " + v1 + "/" + v2);
        long t0 = System.nanoTime();
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(100)).until(() -> only(east, version)
                && only(west, version));
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    @Order(1)
    void everyProcessBecomesReadyAndClientsInBothClustersAreServed() throws Exception {
        for (String c : admin.keySet()) {
            await().atMost(START).ignoreExceptions().until(() -> get(c, "/readyz").statusCode() == 200);
        }
        await().atMost(START).until(() -> only(east, "v1") && only(west, "v1"));
        assertThat(east.spread(100)).isEqualTo(Map.of("v1", 100));
        assertThat(west.spread(100)).isEqualTo(Map.of("v1", 100));
    }

    @Test
    @Order(2)
    void aCommitReachesBothClustersThroughTheSeparateProcesses() throws Exception {
        long ms = commitAndConverge(0, 100, "v2");
        System.out.println("commit -> both clusters' clients, separate processes: " + ms + " ms");
        assertThat(get("east-0", "/metrics").body()).contains("meshlog_component_ready{component=\"distributor east\"} 1.0");
        assertThat(get("reconciler", "/metrics").body()).contains("meshlog_reconciler_clusters_published 2.0",
                "pilot_services 1.0", "meshlog_reconciler_consumer_lag{topic=\"meshlog.config-events\"} 0.0");
        assertThat(get("west-0", "/metrics").body()).contains("meshlog_distributor_consumer_lag{cluster=\"west\"");
        // The west client was pushed the commit's version and ACKed it: one commit-to-last-ACK sample at least.
        await().atMost(CONVERGE).until(() -> get("west-0", "/metrics").body().lines().anyMatch(l -> l.startsWith(
                "meshlog_commit_to_last_ack_seconds_count{cluster=\"west\"") && !l.endsWith(" 0.0")));
        String gitSync = get("git-sync", "/metrics").body();
        assertThat(PrometheusText.value(gitSync, "meshlog_git_sync_commits_applied_total")).isEqualTo(2);
        assertThat(get("git-sync", "/api/status").body()).contains("\"branch\" : \"main\"");
    }

    @Test
    @Order(3)
    void aKilledDistributorLeavesItsClusterServedByTheOtherAndARestartCatchesUp() throws Exception {
        distributors.get("east-0").kill9();
        long ms = commitAndConverge(100, 0, "v1");
        System.out.println("commit -> clients with east-0 killed (east fails over to east-1): " + ms + " ms");
        startDistributor("east-0");
        eastService.replicas(List.of(xds.get("east-0"), xds.get("east-1")));
        await().atMost(START).ignoreExceptions().until(() -> get("east-0", "/readyz").statusCode() == 200);
        try (ProxylessClient fresh = new ProxylessClient(xds.get("east-0"), "east", MeshRepo.TARGET)) {
            await().atMost(CONVERGE).until(() -> only(fresh, "v1"));
        }
    }

    @Test
    @Order(4)
    void whileTheReconcilerIsDeadProxiesKeepTheirConfigAndConvergeAfterItsRestart() throws Exception {
        reconciler.kill9();
        repo.commit("echo-routing.yaml", MeshRepo.split(0, 100), "echo: to v2 while the reconciler is down");
        Thread.sleep(2_000); // git-sync records it meanwhile; nothing may reach the proxies
        assertThat(east.spread(50)).isEqualTo(Map.of("v1", 50));
        assertThat(west.spread(50)).isEqualTo(Map.of("v1", 50));
        long t0 = System.nanoTime();
        reconciler = startReconciler();
        await().atMost(START).until(() -> only(east, "v2") && only(west, "v2"));
        System.out.println("reconciler restart (JVM start included) -> clients converged: "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    @Test
    @Order(5)
    void aGitSyncKilledAndRestartedRecordsEveryCommitExactlyOnce() throws Exception {
        gitSync.kill9();
        repo.commit("echo-routing.yaml", MeshRepo.split(100, 0), "echo: to v1 while git-sync is down");
        repo.commit("echo-routing.yaml", MeshRepo.split(50, 50), "echo: half");
        String last = repo.commit("echo-routing.yaml", MeshRepo.split(0, 100), "echo: to v2 again");
        gitSync = startGitSync();
        await().atMost(START).until(() -> KafkaEventLog.readAll(kafka, MeshlogNode.REPO_ID).stream()
                .anyMatch(e -> e.event() instanceof CommitApplied a && a.info().sha().equals(last)));
        Map<String, Long> applied = KafkaEventLog.readAll(kafka, MeshlogNode.REPO_ID).stream()
                .filter(e -> e.event() instanceof CommitApplied).map(e -> ((CommitApplied) e.event()).info().sha())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(applied).hasSize(7).allSatisfy((sha, n) -> assertThat(n).as(sha).isEqualTo(1L));
        await().atMost(CONVERGE).until(() -> only(east, "v2") && only(west, "v2"));
    }

    @Test
    @Order(6)
    void aDistributorForAClusterTheLogDoesNotKnowWaitsAndSaysSo() throws Exception {
        startDistributor("north-0");
        await().atMost(START).ignoreExceptions().until(() -> get("north-0", "/readyz").statusCode() == 503
                && get("north-0", "/readyz").body().contains("holds no snapshot for cluster north"));
        assertThat(get("north-0", "/healthz").statusCode()).isEqualTo(200);
    }
}
