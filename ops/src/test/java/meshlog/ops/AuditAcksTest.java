package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshlog.configstore.status.SnapshotAcksReader;
import meshlog.testkit.EnvoyBinary;
import meshlog.testkit.EnvoyProcess;
import meshlog.testkit.HttpBackend;
import meshlog.xdscheck.TypeUrls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-commit ACK and NACK counts as a user reads them from {@code meshlog audit}: a running {@code meshlog up} (real
 * broker, real git, two distributors of cluster east), a real Envoy 1.40 sidecar on east-0 and two real grpc-java xDS
 * clients on east-1. A commit moving traffic is ACKed by all three, pushed to them, so its commit-to-ACK latency is
 * measured. Then a cluster Envoy refuses (a ring whose minimum exceeds its maximum) is published for the Envoy's
 * scope, labelled with the last commit, as a buggy writer of the snapshots topic could: Envoy NACKs it, and the audit
 * shows the NACK with Envoy's own error.
 */
class AuditAcksTest {

    static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    static Path tmp;
    static EchoBackends echo;
    static HttpBackend v1;
    static HttpBackend v2;
    static int port;
    static MeshRepo repo;
    static MeshlogNode node;
    static EnvoyProcess envoy;
    static final List<ProxylessClient> clients = new ArrayList<>();
    static String c1;
    static String c2;
    static String c3;
    static Instant beforeC2;
    static Instant afterC2;
    static String envoyScope;
    static String badVersion;

    @BeforeAll
    static void start() throws Exception {
        EnvoyBinary.require();
        echo = EchoBackends.start("v1", "v2");
        v1 = HttpBackend.start("v1");
        v2 = HttpBackend.start("v2");
        port = EnvoySidecar.freePort();
        repo = new MeshRepo(tmp.resolve("mesh"), echo.port("v1"), echo.port("v2"));
        repo.commit("web.yaml", web(50), "web: 50/50");
        c1 = repo.commit("echo-routing.yaml", MeshRepo.split(80, 20), "echo: canary 80/20");
        node = MeshlogNode.start(new UpOptions(repo.dir(), null, List.of("east"), 2, 0, 0, tmp.resolve("data"),
                null, Duration.ofMillis(100), "127.0.0.1"));
        TimeMachineTest.awaitPublished(node, c1);
        envoy = EnvoyEndToEndTest.envoy(replica("east-0").address(), "client-a", false, tmp.resolve("envoy"));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> new HttpCalls(port).get("web", "/").backend() != null);
        for (int i = 0; i < 2; i++) {
            ProxylessClient client = new ProxylessClient(replica("east-1").address(), "east", MeshRepo.TARGET);
            clients.add(client);
            await().atMost(WAIT).ignoreExceptions().until(() -> client.spread(10).getOrDefault("v1", 0) > 0);
        }
        await().atMost(WAIT).until(() -> answers(c1, true) == 3);

        beforeC2 = Instant.now();
        c2 = repo.commit("echo-routing.yaml", MeshRepo.split(0, 100), "echo: all traffic to v2");
        for (ProxylessClient client : clients) {
            await().atMost(WAIT).ignoreExceptions().until(() -> client.spread(20).equals(Map.of("v2", 20)));
        }
        await().atMost(WAIT).until(() -> answers(c2, true) == 3);
        afterC2 = Instant.now();

        c3 = repo.commit("web.yaml", web(100), "web: all to v1");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> allV1());
        await().atMost(WAIT).until(() -> answers(c3, true) == 3);
        envoyScope = node.replicas().stream().flatMap(r -> r.server().connectedProxies().stream())
                .filter(p -> p.status().proxyId().contains("client-a")).findFirst().orElseThrow().scope();
        long rejected = envoy.stat("cluster_manager.cds.update_rejected");
        publishBadCluster();
        await().atMost(WAIT).until(() -> envoy.stat("cluster_manager.cds.update_rejected") > rejected);
        await().atMost(WAIT).until(() -> answers(c3, false) == 1);
    }

    static String web(int v1Weight) {
        return EnvoySidecar.webConfig(port, v1.port(), v2.port(), """
                  - route:
                    - destination: {host: web, subset: v1}
                      weight: %d
                    - destination: {host: web, subset: v2}
                      weight: %d
                """.formatted(v1Weight, 100 - v1Weight));
    }

    static boolean allV1() {
        for (int i = 0; i < 20; i++) {
            if (!"v1".equals(new HttpCalls(port).get("web", "/").backend())) {
                return false;
            }
        }
        return true;
    }

    static meshlog.xds.XdsDistributor replica(String name) {
        return node.replicas().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow().server();
    }

    /** ACKs (or NACKs) the distributors recorded for {@code commit}, over every version. */
    static long answers(String commit, boolean acked) {
        return SnapshotAcksReader.readAll(node.bootstrap(), new ArrayList<>()).stream()
                .filter(a -> commit.equals(a.commit())).mapToLong(a -> acked ? a.acked() : a.nacked()).sum();
    }

    /** The Envoy's scope of east with one cluster Envoy refuses, labelled c3 ({@link RejectedCluster}). */
    static void publishBadCluster() throws Exception {
        badVersion = RejectedCluster.publish(node, "east", envoyScope,
                "outbound|" + port + "|v1|web.demo.svc.cluster.local", c3, "audit-acks-test-writer");
    }

    @AfterAll
    static void stop() {
        clients.forEach(ProxylessClient::close);
        if (envoy != null) {
            envoy.close();
        }
        if (node != null) {
            node.close();
        }
        if (echo != null) {
            echo.close();
            v1.close();
            v2.close();
        }
        if (repo != null) {
            repo.close();
        }
    }

    static JsonNode commit(JsonNode audit, String sha) {
        for (JsonNode c : audit.get("commits")) {
            if (c.get("sha").asText().equals(sha)) {
                return c;
            }
        }
        throw new AssertionError("no commit " + sha + " in " + audit);
    }

    /** (scope, version, ACKed, NACKed) of each version with any answer. */
    static List<String> answered(JsonNode cluster) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : cluster.get("versions")) {
            if (v.get("proxiesAcked").asInt() + v.get("proxiesNacked").asInt() > 0) {
                out.add(v.get("scope").asText() + (v.get("version").asText().equals(badVersion) ? " bad" : "")
                        + " " + v.get("proxiesAcked").asInt() + "/" + v.get("proxiesNacked").asInt());
            }
        }
        return out;
    }

    @Test
    void auditCountsEachCommitsAcksAndNacksPerClusterWithTheLatencyOfProxiesThatWerePushedIt() throws Exception {
        TimeMachineTest.Run run = TimeMachineTest.meshlog("audit", "--kafka", node.bootstrap(), "-o", "json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode audit = run.json();

        JsonNode first = commit(audit, c1).get("clusters");
        assertThat(first).hasSize(1);
        assertThat(first.get(0).get("cluster").asText()).isEqualTo("east");
        assertThat(first.get(0).get("acks").asInt()).isEqualTo(3);
        assertThat(first.get(0).get("nacks").asInt()).isZero();

        JsonNode second = commit(audit, c2).get("clusters").get(0);
        assertThat(answered(second)).as("every scope serves echo: the Envoy's changed too")
                .containsExactlyInAnyOrder(envoyScope + " 1/0", "grpc~demo 2/0");
        assertThat(second.get("acks").asInt()).isEqualTo(3);
        assertThat(second.get("nacks").asInt()).isZero();
        assertThat(second.get("proxiesMeasured").asInt()).as("all three were connected before c2").isEqualTo(3);
        JsonNode latency = second.get("commitToAckMs");
        long p50 = latency.get("p50").asLong();
        long p99 = latency.get("p99").asLong();
        long max = latency.get("max").asLong();
        assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
        assertThat(p99).as("nearest rank of 3 samples is the largest, at most 10 % low").isLessThanOrEqualTo(max)
                .isGreaterThanOrEqualTo(max * 9 / 10);
        assertThat(max).isLessThanOrEqualTo(Duration.between(beforeC2, afterC2).toMillis());
        Instant recorded = Instant.parse(commit(audit, c2).get("recorded").asText());
        Instant published = Instant.parse(second.get("published").asText());
        assertThat(published).isAfterOrEqualTo(recorded);
        assertThat(max).isGreaterThanOrEqualTo(Duration.between(recorded, published).toMillis());

        JsonNode third = commit(audit, c3).get("clusters").get(0);
        assertThat(answered(third)).containsExactlyInAnyOrder(envoyScope + " 1/0", envoyScope + " bad 0/1",
                "grpc~demo 2/0");
        assertThat(third.get("acks").asInt()).isEqualTo(3);
        assertThat(third.get("nacks").asInt()).isEqualTo(1);
        assertThat(third.get("nackErrors")).hasSize(1);
        JsonNode nack = third.get("nackErrors").get(0);
        assertThat(nack.get("scope").asText()).isEqualTo(envoyScope);
        assertThat(nack.get("version").asText()).isEqualTo(badVersion);
        assertThat(nack.get("typeUrl").asText()).isEqualTo(TypeUrls.CLUSTER);
        assertThat(nack.get("proxies").asInt()).isEqualTo(1);
        assertThat(nack.get("proxyId").asText()).contains("client-a");
        assertThat(nack.get("error").asText()).contains("outbound|" + port + "|v1|web.demo.svc.cluster.local")
                .contains("minimum_ring_size");
        assertThat(third.get("nackErrorsUnlisted").asInt()).isZero();
        assertThat(node.replicas().stream().mapToLong(r -> r.server().ackAnswersDropped()).sum()).isZero();
    }

    @Test
    void proxyStatusShowsTheNackingEnvoyWithItsErrorAndTheGrpcClientsSyncedAndExitsOne() throws Exception {
        String admin = "127.0.0.1:" + node.adminPort();
        TimeMachineTest.Run json = TimeMachineTest.meshlog("proxy-status", "--admin", admin, "-o", "json");
        assertThat(json.code()).as(json.err()).isEqualTo(1);
        List<String> rows = new ArrayList<>();
        for (JsonNode r : json.json()) {
            JsonNode t = r.get("types");
            rows.add((r.get("proxyId").asText().contains("client-a") ? "envoy" : "grpc") + " "
                    + r.get("distributor").asText() + " " + r.get("state").asText() + " " + t.get("CDS").asText()
                    + " " + t.get("LDS").asText() + " " + t.get("EDS").asText() + " " + t.get("RDS").asText());
        }
        // The Envoy refused the cluster and holds its last good one: CDS NACK; the rest of its config is current.
        assertThat(rows).containsExactlyInAnyOrder("envoy east-0 NACK NACK SYNCED SYNCED SYNCED",
                "grpc east-1 SYNCED SYNCED SYNCED SYNCED SYNCED", "grpc east-1 SYNCED SYNCED SYNCED SYNCED SYNCED");

        TimeMachineTest.Run text = TimeMachineTest.meshlog("proxy-status", "--admin", admin, "--namespace", "demo");
        assertThat(text.code()).as(text.err()).isEqualTo(1);
        String[] lines = text.out().split("\n");
        assertThat(lines[0]).startsWith("NAME").contains("CLUSTER", "CDS", "LDS", "EDS", "RDS", "DISTRIBUTOR");
        assertThat(lines).filteredOn(l -> l.contains(" NACK: ")).singleElement().asString()
                .contains("client-a", "CDS NACK: ", "minimum_ring_size");

        TimeMachineTest.Run grpcOnly = TimeMachineTest.meshlog("proxy-status", "--admin", admin, "--cluster", "west");
        assertThat(grpcOnly.code()).as("no proxy of west: nothing is out of sync").isZero();
        assertThat(grpcOnly.out().strip().lines().count()).isEqualTo(1);

        TimeMachineTest.Run down = TimeMachineTest.meshlog("proxy-status", "--admin", "127.0.0.1:1");
        assertThat(down.code()).isEqualTo(2);
        assertThat(down.err()).startsWith("meshlog: admin server 127.0.0.1:1 cannot be read: ");
    }

    @Test
    void proxyConfigLiveShowsWhatTheEnvoyIsServedNowTheClusterItRefusedIncluded() throws Exception {
        String admin = "127.0.0.1:" + node.adminPort();
        String envoyId = node.replicas().stream().flatMap(r -> r.server().connectedProxies().stream())
                .map(c -> c.status().proxyId()).filter(id -> id.contains("client-a")).findFirst().orElseThrow();
        TimeMachineTest.Run live = TimeMachineTest.meshlog("proxy-config", "--live", envoyId, "--admin", admin,
                "--type", "clusters", "-o", "json");
        assertThat(live.code()).as(live.err()).isZero();
        JsonNode config = live.json();
        assertThat(List.of(config.get("proxyId").asText(), config.get("cluster").asText(),
                config.get("distributor").asText(), config.get("scope").asText(), config.get("version").asText(),
                config.get("commit").asText())).containsExactly(envoyId, "east", "east-0", envoyScope, badVersion, c3);
        assertThat(config.has("listeners")).as("--type clusters only").isFalse();
        String name = "outbound|" + port + "|v1|web.demo.svc.cluster.local";
        JsonNode bad = null;
        for (JsonNode c : config.get("clusters")) {
            if (c.get("name").asText().equals(name)) {
                bad = c;
            }
        }
        assertThat(bad).as(name).isNotNull();
        assertThat(bad.at("/ringHashLbConfig/minimumRingSize").asText()).isEqualTo("4096");
        // Envoy itself kept its last good cluster: the live view is what it is sent, /config_dump what it took.
        assertThat(envoy.admin("/config_dump?resource=dynamic_active_clusters")).contains(name)
                .doesNotContain("minimum_ring_size");

        TimeMachineTest.Run yaml = TimeMachineTest.meshlog("proxy-config", "--live", envoyId, "--admin", admin);
        assertThat(yaml.code()).as(yaml.err()).isZero();
        assertThat(yaml.out()).contains("listeners:", "routes:", "clusters:", "endpoints:", "scope: \"" + envoyScope)
                .doesNotContain("PRIVATE KEY");

        TimeMachineTest.Run missing = TimeMachineTest.meshlog("proxy-config", "--live",
                "sidecar~10.9.9.9~nobody.demo~demo.svc.cluster.local", "--admin", admin);
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("meshlog: no proxy sidecar~10.9.9.9~nobody.demo~demo.svc.cluster.local"
                + " is connected to " + admin + " (meshlog proxy-status lists the connected ones)\n");
        TimeMachineTest.Run mixed = TimeMachineTest.meshlog("proxy-config", "--live", envoyId, "--cluster", "east");
        assertThat(mixed.code()).isEqualTo(2);
    }

    @Test
    void upsMetricsCarryIstiodsNamesAndBucketsPerDistributor() throws Exception {
        java.net.http.HttpResponse<String> res = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + node.adminPort()
                        + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(200);
        String m = res.body();
        assertThat(value(m, "pilot_xds{cluster=\"east\",distributor=\"east-0\"}")).isEqualTo(1);
        assertThat(value(m, "pilot_xds{cluster=\"east\",distributor=\"east-1\"}")).isEqualTo(2);
        for (String type : List.of("cds", "lds", "eds", "rds", "sds", "other")) {
            assertThat(value(m, "pilot_total_xds_rejects{cluster=\"east\",distributor=\"east-0\",type=\"" + type
                    + "\"}")).as("the Envoy refused the bad cluster once, and nothing else: " + type)
                    .isEqualTo(type.equals("cds") ? 1 : 0);
            assertThat(value(m, "pilot_total_xds_rejects{cluster=\"east\",distributor=\"east-1\",type=\"" + type
                    + "\"}")).isZero();
        }
        // c2 and c3 each gave the gRPC clients' scope a version both ACKed, measured from the commit in Kafka.
        String east1 = "{cluster=\"east\",distributor=\"east-1\"}";
        assertThat(value(m, "meshlog_commit_to_last_ack_seconds_count" + east1)).isGreaterThanOrEqualTo(2);
        assertThat(value(m, "meshlog_commit_to_last_ack_seconds_sum" + east1)).isPositive();
        assertThat(PrometheusText.les(m, "meshlog_commit_to_last_ack_seconds_bucket", "distributor=\"east-1\""))
                .containsExactly(0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, Double.POSITIVE_INFINITY);
        assertThat(value(m, "pilot_services")).as("web and echo").isEqualTo(2);
        assertThat(value(m, "meshlog_distributor_consumer_lag" + east1)).isZero();
        assertThat(value(m, "meshlog_reconciler_consumer_lag{topic=\"meshlog.config-events\"}")).isZero();
        assertThat(value(m, "meshlog_git_sync_commits_applied_total"))
                .as("c1 (the head at start, applied as its whole tree), c2, c3").isEqualTo(3);
        assertThat(value(m, "meshlog_git_sync_commit_to_log_seconds_count")).isEqualTo(3);
        assertThat(value(m, "meshlog_git_sync_commits_rejected_total")).isZero();
        assertThat(value(m, "citadel_server_csr_count")).as("no agent asked the CA").isZero();
        assertThat(value(m, "pilot_xds_pushes{cluster=\"east\",distributor=\"east-0\",type=\"cds\"}"))
                .as("the Envoy's first clusters and the bad one, at least (delta sends only what changed)")
                .isGreaterThanOrEqualTo(2);
        // c2 and c3 were pushed to all three proxies: each ACK of every type is one convergence sample.
        assertThat(value(m, "pilot_proxy_convergence_time_count{cluster=\"east\",distributor=\"east-1\"}"))
                .isGreaterThanOrEqualTo(4);
        assertThat(value(m, "pilot_proxy_convergence_time_count{cluster=\"east\",distributor=\"east-0\"}"))
                .isGreaterThanOrEqualTo(2);
        List<String> buckets = m.lines().filter(l -> l.startsWith("pilot_proxy_convergence_time_bucket{")
                && l.contains("distributor=\"east-1\"")).map(l -> l.replaceAll(".*le=\"([^\"]+)\".*", "$1"))
                .toList();
        assertThat(buckets).containsExactly("0.1", "0.5", "1.0", "3.0", "5.0", "10.0", "20.0", "30.0", "+Inf");
        String cds = "{cluster=\"east\",distributor=\"east-0\",type=\"cds\"}";
        assertThat(value(m, "pilot_xds_config_size_bytes_count" + cds))
                .as("one size sample per CDS response pushed").isGreaterThanOrEqualTo(2)
                .isEqualTo(value(m, "pilot_xds_pushes" + cds));
        assertThat(value(m, "pilot_xds_config_size_bytes_sum" + cds))
                .as("the Envoy's clusters, two per subset of web and echo, at least 100 bytes each")
                .isGreaterThanOrEqualTo(100 * value(m, "pilot_xds_config_size_bytes_count" + cds));
        assertThat(value(m, "pilot_xds_push_time_count" + cds)).isEqualTo(value(m, "pilot_xds_pushes" + cds));
        assertThat(value(m, "pilot_xds_send_time_count{cluster=\"east\",distributor=\"east-0\"}"))
                .isGreaterThanOrEqualTo(value(m, "pilot_xds_push_time_count" + cds));
        assertThat(les(m, "pilot_xds_config_size_bytes_bucket", "type=\"cds\""))
                .containsExactly(1.0, 1e4, 1e6, 4e6, 1e7, 4e7, Double.POSITIVE_INFINITY);
        assertThat(les(m, "pilot_xds_push_time_bucket", "type=\"cds\""))
                .containsExactly(0.01, 0.1, 1.0, 3.0, 5.0, 10.0, 20.0, 30.0, Double.POSITIVE_INFINITY);
        assertThat(les(m, "pilot_xds_send_time_bucket", "distributor"))
                .containsExactly(0.01, 0.1, 1.0, 3.0, 5.0, 10.0, 20.0, 30.0, Double.POSITIVE_INFINITY);
        assertThat(value(m, "pilot_virt_services")).isEqualTo(2);
        assertThat(m).contains("jvm_memory_used_bytes{");

        // The Grafana dashboard in the repository queries only what meshlog exports: those up has, and the ones of
        // the component processes and discovery (ComponentProcessesTest and DiscoveryCommandTest read those).
        JsonNode dashboard = meshlog.configstore.event.EventCodec.json().readTree(
                Path.of("..", "deploy", "grafana", "meshlog-dashboard.json").toFile());
        java.util.Set<String> queried = new java.util.TreeSet<>();
        dashboard.get("panels").forEach(p -> p.get("targets").forEach(t -> java.util.regex.Pattern
                .compile("\\b((?:pilot|citadel|meshlog|jvm|process)_[a-z0-9_]+)").matcher(t.get("expr").asText()).results()
                .forEach(r -> queried.add(r.group(1)))));
        java.util.Set<String> exported = new java.util.TreeSet<>();
        m.lines().filter(l -> !l.startsWith("#")).forEach(l -> exported.add(l.replaceAll("[{ ].*", "")));
        assertThat(queried).hasSizeGreaterThan(10)
                .allSatisfy(name -> assertThat(exported.contains(name) || name.startsWith("meshlog_discovery_")
                        || name.equals("meshlog_component_ready")).as(name).isTrue());
    }

    /** The {@code le} bounds of east-0's {@code bucket} lines that contain {@code label}, in exposition order. */
    static List<Double> les(String metrics, String bucket, String label) {
        return PrometheusText.les(metrics, bucket, "distributor=\"east-0\"", label);
    }

    static double value(String metrics, String series) {
        return PrometheusText.value(metrics, series);
    }

    @Test
    void theTextAuditShowsTheSameCountsUnderEachCommit() {
        TimeMachineTest.Run run = TimeMachineTest.meshlog("audit", "--kafka", node.bootstrap(), "--cluster", "east");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).containsSubsequence(
                "applied   " + c2.substring(0, 8),
                "    cluster east  published ",
                "  ACKs 3  NACKs 0  commit->ACK p50 ",
                " (3 proxies pushed)",
                "        grpc~demo  version ",
                "  ACKed 2  NACKed 0",
                "        (6 more versions, not answered by any proxy)",
                "applied   " + c3.substring(0, 8),
                "  ACKs 3  NACKs 1",
                "        NACK " + envoyScope + " Cluster by 1 proxy (first sidecar~127.0.0.1~client-a.demo");
        assertThat(run.out()).doesNotContain("ACK/NACK counts per snapshot are not shown");
    }
}
