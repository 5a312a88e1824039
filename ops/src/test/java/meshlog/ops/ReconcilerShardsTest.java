package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import meshlog.configstore.kafka.Topics;
import meshlog.configstore.snapshot.SnapshotHistory;
import meshlog.configstore.snapshot.SnapshotPublished;
import meshlog.gitsync.GitSync;
import meshlog.gitsync.git.ConfigRepository;
import meshlog.gitsync.kafka.KafkaCommitLog;
import meshlog.kafkaembedded.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code meshlog reconciler} processes on one log share its clusters: each cluster computed and published by
 * one of them, and when one is killed with SIGKILL the others take its clusters once its Kafka session times out,
 * with every commit published for every cluster exactly once.
 */
class ReconcilerShardsTest {

    static final List<String> CLUSTERS = List.of("alpha", "bravo", "charlie", "delta", "echo", "foxtrot");
    static final Duration START = Duration.ofSeconds(90);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static EmbeddedKafkaBroker broker;
    static MeshRepo repo;
    static ConfigRepository config;
    static KafkaCommitLog log;
    static GitSync sync;
    static final List<ChildProcess> reconcilers = new ArrayList<>();
    static final List<String> adminPorts = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.start(tmp.resolve("kafka"), 0);
        Topics.ensure(broker.bootstrapServers());
        repo = new MeshRepo(tmp.resolve("mesh"), 50051, 50052);
        repo.commit("echo-routing.yaml", MeshRepo.split(100, 0), "all to v1");
        String first = repo.commit("clusters.yaml", clusters(), "six clusters");
        config = ConfigRepository.open(repo.dir().toFile(), null);
        log = new KafkaCommitLog(broker.bootstrapServers(), MeshlogNode.REPO_ID);
        sync = new GitSync(MeshlogNode.REPO_ID, config, log);
        sync.pollOnce();
        for (int i = 0; i < 3; i++) {
            ChildProcess c = ChildProcess.start(tmp.resolve("logs"), "reconciler-" + i, "256m", "reconciler",
                    "--kafka", broker.bootstrapServers(), "--admin-port", "0");
            reconcilers.add(c);
            adminPorts.add(c.adminPort(START));
        }
        await().atMost(START).until(() -> publishedCommits().keySet().containsAll(CLUSTERS)
                && CLUSTERS.stream().allMatch(c -> publishedCommits().get(c).contains(first)));
    }

    @AfterAll
    static void stop() throws Exception {
        for (ChildProcess c : reconcilers) {
            c.close();
        }
        if (log != null) {
            log.close();
        }
        if (config != null) {
            config.close();
        }
        repo.close();
        broker.close();
    }

    static String clusters() {
        StringBuilder sb = new StringBuilder();
        for (String c : CLUSTERS) {
            sb.append("""
                    ---
                    apiVersion: meshlog.dev/v1alpha1
                    kind: Cluster
                    metadata: {name: %s}
                    spec: {}
                    """.formatted(c));
        }
        return sb.toString();
    }

    static JsonNode status(int reconciler) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + adminPorts.get(reconciler) + "/api/status"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    static Set<Integer> shards(int reconciler) throws Exception {
        Set<Integer> out = new TreeSet<>();
        status(reconciler).path("shards").forEach(n -> out.add(n.asInt()));
        return out;
    }

    static Set<String> clustersOf(int reconciler) throws Exception {
        Set<String> out = new TreeSet<>();
        status(reconciler).path("published").fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** By cluster, the commit of each publication, in log order (a commit twice would be a duplicate). */
    static Map<String, List<String>> publishedCommits() {
        Map<String, List<String>> out = new TreeMap<>();
        List<String> unreadable = new ArrayList<>();
        for (SnapshotHistory.Logged l : SnapshotHistory.publications(broker.bootstrapServers(), unreadable)) {
            SnapshotPublished p = l.publication();
            Set<String> commits = new TreeSet<>();
            p.scopes().values().forEach(s -> commits.add(String.valueOf(s.commit())));
            out.computeIfAbsent(p.cluster(), k -> new ArrayList<>()).add(String.join(",", commits));
        }
        assertThat(unreadable).isEmpty();
        return out;
    }

    @Test
    void theClustersAreSharedAndAKilledReconcilersMoveToTheOthersWithEachCommitPublishedOnce() throws Exception {
        // The group divides the 12 shards among the three: each owned once.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Set<Integer> all = new HashSet<>();
            int owned = 0;
            for (int i = 0; i < 3; i++) {
                owned += shards(i).size();
                all.addAll(shards(i));
            }
            return owned == Topics.RECONCILER_SHARD_COUNT && all.size() == Topics.RECONCILER_SHARD_COUNT
                    && shards(0).size() > 0 && shards(1).size() > 0 && shards(2).size() > 0;
        });
        // Each cluster is with the owner of its shard, and with no other.
        Map<String, Integer> ownerOf = new TreeMap<>();
        for (int i = 0; i < 3; i++) {
            for (String c : clustersOf(i)) {
                assertThat(ownerOf.put(c, i)).as("%s published by two reconcilers", c).isNull();
                assertThat(shards(i)).contains(meshlog.reconciler.plan.Shards.of(c, Topics.RECONCILER_SHARD_COUNT));
            }
        }

        // SIGKILL the reconciler with the most clusters, and commit at once.
        int victim = 0;
        for (int i = 1; i < 3; i++) {
            if (clustersOf(i).size() > clustersOf(victim).size()) {
                victim = i;
            }
        }
        Set<String> moved = clustersOf(victim);
        reconcilers.get(victim).kill9();
        long killed = System.nanoTime();
        String second = repo.commit("echo-routing.yaml", MeshRepo.split(0, 100), "all to v2");
        sync.pollOnce();
        await().atMost(Duration.ofSeconds(60)).until(() -> CLUSTERS.stream()
                .allMatch(c -> publishedCommits().getOrDefault(c, List.of()).contains(second)));
        long tookMs = (System.nanoTime() - killed) / 1_000_000;
        System.out.printf("reconciler %d (clusters %s) killed: every cluster published the next commit %d ms later%n",
                victim, moved, tookMs);

        int a = (victim + 1) % 3;
        int b = (victim + 2) % 3;
        Set<Integer> survivors = new TreeSet<>(shards(a));
        survivors.addAll(shards(b));
        assertThat(survivors).hasSize(Topics.RECONCILER_SHARD_COUNT);
        Set<String> now = new TreeSet<>(clustersOf(a));
        now.addAll(clustersOf(b));
        assertThat(now).containsAll(moved);

        // Exactly once: per cluster, the two commits, each published once, in order.
        Map<String, List<String>> published = publishedCommits();
        String first = published.get(CLUSTERS.get(0)).get(0);
        for (String c : CLUSTERS) {
            assertThat(published.get(c)).as(c).containsExactly(first, second);
        }
    }
}
