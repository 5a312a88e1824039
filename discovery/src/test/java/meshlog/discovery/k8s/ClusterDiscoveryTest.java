package meshlog.discovery.k8s;

import meshlog.configstore.endpoints.EndpointRecords;
import static meshlog.discovery.k8s.KubeObjects.endpoint;
import static meshlog.discovery.k8s.KubeObjects.namespace;
import static meshlog.discovery.k8s.KubeObjects.node;
import static meshlog.discovery.k8s.KubeObjects.pod;
import static meshlog.discovery.k8s.KubeObjects.port;
import static meshlog.discovery.k8s.KubeObjects.service;
import static meshlog.discovery.k8s.KubeObjects.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshlog.configstore.kafka.KafkaBrokerExtension;
import meshlog.configstore.endpoints.DiscoveredService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The discovery edge against fabric8's mock API server (CRUD mode, reached through a kubeconfig as a real one
 * would be) and a real embedded broker: what lands on {@code meshlog.endpoints} as objects change.
 */
class ClusterDiscoveryTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T c) {
        opened.add(c);
        return c;
    }

    private ClusterDiscovery discover(String cluster, MockCluster mock) {
        return keep(ClusterDiscovery.start(KAFKA.bootstrap(),
                ClusterDiscovery.Options.of(cluster, mock.kubeconfig()).withStaleGrace(Duration.ofMillis(500)),
                Clock.systemUTC()));
    }

    /** Bookinfo's reviews in namespace shop of cluster {@code c}: two nodes, one pod, one slice. */
    private static void reviews(KubernetesClient kube) {
        kube.resource(namespace("shop", Map.of("topology.istio.io/network", "net-1"))).create();
        kube.resource(node("n1", "eu-west", "eu-west-1a", "rack-7")).create();
        kube.resource(node("n2", "eu-west", "eu-west-1b", "rack-2")).create();
        kube.resource(service("shop", "reviews", "10.96.0.20", port("http", 9080, null, "http-api"),
                port("rpc", 9090, "grpc", null), port("db", 3306, null, "3307"))).create();
        kube.resource(pod("shop", "reviews-v1-1", Map.of("app", "reviews", "version", "v1"), "bookinfo-reviews",
                "n1", "http-api", 9081)).create();
        kube.resource(slice("shop", "reviews-x1", "reviews", "http", 9081,
                List.of(endpoint("10.1.0.5", "reviews-v1-1", "n1", true, true, false)))).create();
    }

    private static final String REVIEWS_V1 = "{\"schemaVersion\":1,\"cluster\":\"c1\",\"namespace\":\"shop\","
            + "\"name\":\"reviews\",\"hostname\":\"reviews.shop.svc.cluster.local\",\"kind\":\"ClusterIP\","
            + "\"externalName\":\"\",\"vips\":[\"10.96.0.20\"],\"ports\":["
            + "{\"name\":\"http\",\"port\":9080,\"protocol\":\"HTTP\",\"targetPort\":\"http-api\"},"
            + "{\"name\":\"rpc\",\"port\":9090,\"protocol\":\"GRPC\",\"targetPort\":\"\"},"
            + "{\"name\":\"db\",\"port\":3306,\"protocol\":\"TCP\",\"targetPort\":\"3307\"}],"
            + "\"endpoints\":[{\"address\":\"10.1.0.5\",\"ports\":{\"db\":3307,\"http\":9081,\"rpc\":9090},"
            + "\"labels\":{\"app\":\"reviews\",\"version\":\"v1\"},"
            + "\"locality\":{\"region\":\"eu-west\",\"zone\":\"eu-west-1a\",\"subzone\":\"rack-7\"},"
            + "\"health\":{\"ready\":true,\"serving\":true,\"terminating\":false,\"status\":\"HEALTHY\"},"
            + "\"serviceAccount\":\"bookinfo-reviews\",\"pod\":\"reviews-v1-1\",\"node\":\"n1\","
            + "\"network\":\"net-1\"}],\"endpointsLeftOut\":0}";

    @Test
    void aServiceAndItsEndpointLandAsOneRecordWithHostVipPortsLabelsLocalityAndHealth() {
        MockCluster c1 = keep(new MockCluster(dir, "c1"));
        reviews(c1.kube());
        ClusterDiscovery d = discover("c1", c1);

        await().atMost(WAIT).until(() -> EndpointsTopic.latest(KAFKA.bootstrap(), "c1/").size() == 2);
        // The slice names only "http" (9081, resolved by the controller); rpc has no targetPort (the port
        // itself), db a numeric one. The 3306 port named "db" is TCP: a server-first port Istio never sniffs.
        assertThat(EndpointsTopic.records(KAFKA.bootstrap())).filteredOn(r -> r.key().startsWith("c1/"))
                .containsExactly(
                        new EndpointsTopic.Rec("c1/shop/_workloads", "{\"schemaVersion\":1,\"cluster\":\"c1\","
                                + "\"namespace\":\"shop\",\"workloads\":[{\"labels\":{\"app\":\"reviews\","
                                + "\"version\":\"v1\"},\"serviceAccount\":\"bookinfo-reviews\",\"pods\":1}],"
                                + "\"workloadsLeftOut\":0}"),
                        new EndpointsTopic.Rec("c1/shop/reviews", REVIEWS_V1));
        assertThat(d.problem()).isEmpty();
        assertThat(d.stale()).isFalse();
    }

    @Test
    void aRelabelledPodAnUnreadyEndpointAndADeletedServiceAreEachOneRecord() {
        MockCluster c2 = keep(new MockCluster(dir, "c2"));
        KubernetesClient kube = c2.kube();
        reviews(kube);
        discover("c2", c2);
        String key = "c2/shop/reviews";
        await().atMost(WAIT).until(() -> values(key).size() == 1);

        long t0 = System.nanoTime();
        kube.pods().inNamespace("shop").withName("reviews-v1-1")
                .edit(p -> { p.getMetadata().getLabels().put("version", "v2"); return p; });
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> values(key).size() == 2);
        System.out.printf("measured: pod relabelled -> record on the topic in %d ms (topic read included)%n",
                (System.nanoTime() - t0) / 1_000_000);
        assertThat(decode(values(key).get(1)).endpoints().get(0).labels())
                .containsExactlyInAnyOrderEntriesOf(Map.of("app", "reviews", "version", "v2"));
        await().atMost(WAIT).until(() -> EndpointsTopic.latest(KAFKA.bootstrap(), "c2/shop/_workloads").values()
                .stream().anyMatch(v -> v.contains("\"version\":\"v2\"")));

        // The pod is being deleted: not ready, still serving while it terminates (Istio: DRAINING).
        kube.resource(slice("shop", "reviews-x1", "reviews", "http", 9081,
                List.of(endpoint("10.1.0.5", "reviews-v1-1", "n1", false, true, true)))).update();
        await().atMost(WAIT).until(() -> values(key).size() == 3);
        assertThat(decode(values(key).get(2)).endpoints().get(0).health().toString())
                .isEqualTo("Health[ready=false, serving=true, terminating=true, status=DRAINING]");

        kube.services().inNamespace("shop").withName("reviews").delete();
        await().atMost(WAIT).until(() -> values(key).size() == 4);
        assertThat(values(key).get(3)).isNull(); // a tombstone: compaction removes the service
        kube.pods().inNamespace("shop").withName("reviews-v1-1").delete();
        await().atMost(WAIT).until(() -> EndpointsTopic.latest(KAFKA.bootstrap(), "c2/").isEmpty());
    }

    @Test
    void scalingOneHundredToOneToOneHundredLeavesNoStaleEndpoint() {
        MockCluster c3 = keep(new MockCluster(dir, "c3"));
        KubernetesClient kube = c3.kube();
        kube.resource(namespace("shop", Map.of())).create();
        kube.resource(service("shop", "ratings", "10.96.0.30", port("http", 9080, null, "9080"))).create();
        scale(kube, 100);
        discover("c3", c3);
        await().atMost(WAIT).until(() -> addresses("c3/shop/ratings").size() == 100);

        int records = values("c3/shop/ratings").size();
        long t0 = System.nanoTime();
        scale(kube, 1);
        long applied = System.nanoTime();
        await().atMost(WAIT).until(() -> addresses("c3/shop/ratings").equals(List.of("10.2.0.1")));
        System.out.printf("measured: 100 -> 1: 99 pod deletes and 2 slice writes took %d ms to apply, the record"
                + " had 1 endpoint %d ms after the last; %d records written for the service%n",
                (applied - t0) / 1_000_000, (System.nanoTime() - applied) / 1_000_000,
                values("c3/shop/ratings").size() - records);

        records = values("c3/shop/ratings").size();
        t0 = System.nanoTime();
        scale(kube, 100);
        applied = System.nanoTime();
        await().atMost(WAIT).until(() -> addresses("c3/shop/ratings").size() == 100);
        System.out.printf("measured: 1 -> 100: applied in %d ms, 100 endpoints %d ms after; %d records written%n",
                (applied - t0) / 1_000_000, (System.nanoTime() - applied) / 1_000_000,
                values("c3/shop/ratings").size() - records);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            expected.add("10.2.0." + i);
        }
        assertThat(addresses("c3/shop/ratings")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(EndpointsTopic.latest(KAFKA.bootstrap(), "c3/shop/_workloads").values())
                .containsExactly("{\"schemaVersion\":1,\"cluster\":\"c3\",\"namespace\":\"shop\",\"workloads\":"
                        + "[{\"labels\":{\"app\":\"ratings\"},\"serviceAccount\":\"default\",\"pods\":100}],"
                        + "\"workloadsLeftOut\":0}");
    }

    /** Makes ratings {@code n} pods, in slices of at most 50 endpoints, as the EndpointSlice controller would. */
    private static void scale(KubernetesClient kube, int n) {
        for (int i = 1; i <= 100; i++) {
            String name = "ratings-" + i;
            boolean exists = kube.pods().inNamespace("shop").withName(name).get() != null;
            if (i <= n && !exists) {
                kube.resource(pod("shop", name, Map.of("app", "ratings"), null, "", "http", 9080)).create();
            } else if (i > n && exists) {
                kube.pods().inNamespace("shop").withName(name).delete();
            }
        }
        for (int s = 0; s < 2; s++) {
            List<Endpoint> eps = new ArrayList<>();
            for (int i = s * 50 + 1; i <= Math.min(n, s * 50 + 50); i++) {
                eps.add(endpoint("10.2.0." + i, "ratings-" + i, "", true, true, false));
            }
            var slice = slice("shop", "ratings-s" + s, "ratings", "http", 9080, eps);
            if (eps.isEmpty()) {
                kube.resource(slice).delete();
            } else {
                kube.resource(slice).createOr(r -> r.update());
            }
        }
    }

    @Test
    void aStoppedApiServerLeavesTheLastRecordsAndIsReportedStale() throws InterruptedException {
        MockCluster c4 = keep(new MockCluster(dir, "c4"));
        reviews(c4.kube());
        ClusterDiscovery d = discover("c4", c4);
        await().atMost(WAIT).until(() -> d.problem().isEmpty() && !values("c4/shop/reviews").isEmpty());
        int before = forCluster("c4").size();

        c4.stop();
        await().atMost(WAIT).until(d::stale);
        assertThat(d.problem()).get().asString().startsWith("stale: the watch of cluster c4's API server is down");
        Thread.sleep(1_500); // what must not happen: anything written while the API server is away
        assertThat(forCluster("c4")).hasSize(before);

        c4.start(); // the same objects, on the same port
        c4.kube().resource(pod("shop", "reviews-v1-2", Map.of("app", "reviews", "version", "v1"),
                "bookinfo-reviews", "n2", "http-api", 9081)).create();
        c4.kube().resource(slice("shop", "reviews-x1", "reviews", "http", 9081, List.of(
                endpoint("10.1.0.5", "reviews-v1-1", "n1", true, true, false),
                endpoint("10.1.0.6", "reviews-v1-2", "n2", true, true, false)))).update();
        await().atMost(WAIT).until(() -> addresses("c4/shop/reviews").size() == 2);
        await().atMost(WAIT).until(() -> d.problem().isEmpty());
        DiscoveredService now = decode(EndpointsTopic.latest(KAFKA.bootstrap(), "c4/shop/reviews").values()
                .iterator().next());
        assertThat(now.endpoints().get(1).locality().zone()).isEqualTo("eu-west-1b");
    }

    @Test
    void anUnreachableApiServerDoesNotBlockStartUpAndWhatWasPublishedStays() throws InterruptedException {
        MockCluster c5 = keep(new MockCluster(dir, "c5"));
        reviews(c5.kube());
        c5.kube().resource(service("shop", "details", "10.96.0.21", port("http", 9080, null, null))).create();
        ClusterDiscovery first = discover("c5", c5);
        await().atMost(WAIT).until(() -> EndpointsTopic.latest(KAFKA.bootstrap(), "c5/").size() == 3);
        first.close();
        opened.remove(first);
        c5.kube().services().inNamespace("shop").withName("details").delete(); // while no discovery runs
        c5.stop();
        int before = forCluster("c5").size();

        long t0 = System.nanoTime();
        ClusterDiscovery second = discover("c5", c5);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(second.problem()).get().asString()
                .isEqualTo("API server of cluster c5 not reached yet (its first LIST is pending);"
                        + " meshlog.endpoints keeps what an earlier run published");
        Thread.sleep(1_500);
        assertThat(forCluster("c5")).hasSize(before);

        c5.start();
        await().atMost(WAIT).until(() -> second.problem().isEmpty());
        // Only what changed while it was away: the deleted service's tombstone; reviews is not written again.
        assertThat(forCluster("c5").subList(before, forCluster("c5").size()))
                .containsExactly(new EndpointsTopic.Rec("c5/shop/details", null));
    }

    @Test
    void aWatchThatMissedAnEventIsCorrectedByTheFullResyncAndOnlyByIt() throws Exception {
        MockCluster c6 = keep(new MockCluster(dir, "c6"));
        reviews(c6.kube());
        c6.kube().resource(pod("shop", "reviews-v1-2", Map.of("app", "reviews", "version", "v1"),
                "bookinfo-reviews", "n2", "http-api", 9081)).create();
        c6.kube().resource(slice("shop", "reviews-x1", "reviews", "http", 9081, List.of(
                endpoint("10.1.0.5", "reviews-v1-1", "n1", true, true, false),
                endpoint("10.1.0.6", "reviews-v1-2", "n2", true, true, false)))).update();
        SilentWatchProxy proxy = keep(new SilentWatchProxy(c6.port()));
        Path viaProxy = MockCluster.writeKubeconfig(dir.resolve("c6-proxy.kubeconfig"), "c6", proxy.port());
        // Two discoveries of the same API server: one resyncing every 3 s, one not within the test.
        ClusterDiscovery resyncing = keep(ClusterDiscovery.start(KAFKA.bootstrap(),
                ClusterDiscovery.Options.of("c6a", viaProxy).withResync(Duration.ofSeconds(3)), Clock.systemUTC()));
        ClusterDiscovery watchOnly = keep(ClusterDiscovery.start(KAFKA.bootstrap(),
                ClusterDiscovery.Options.of("c6b", viaProxy).withResync(Duration.ofHours(1)), Clock.systemUTC()));
        await().atMost(WAIT).until(() -> addresses("c6a/shop/reviews").size() == 2
                && addresses("c6b/shop/reviews").size() == 2);
        long correctionsBefore = resyncing.resyncCorrections();

        proxy.silenceOpenWatches();
        c6.kube().resource(slice("shop", "reviews-x1", "reviews", "http", 9081,
                List.of(endpoint("10.1.0.5", "reviews-v1-1", "n1", true, true, false)))).update();

        await().atMost(WAIT).until(() -> addresses("c6a/shop/reviews").equals(List.of("10.1.0.5")));
        assertThat(resyncing.resyncCorrections()).isGreaterThan(correctionsBefore);
        // The other one's watch still looks open and still serves the endpoint that is gone.
        assertThat(addresses("c6b/shop/reviews")).containsExactly("10.1.0.5", "10.1.0.6");
        assertThat(watchOnly.problem()).isEmpty();
    }

    private static List<EndpointsTopic.Rec> forCluster(String cluster) {
        return EndpointsTopic.records(KAFKA.bootstrap()).stream().filter(r -> r.key().startsWith(cluster + "/"))
                .toList();
    }

    /** Every value written for {@code key}, in order (null for a tombstone). */
    private static List<String> values(String key) {
        return EndpointsTopic.records(KAFKA.bootstrap()).stream().filter(r -> r.key().equals(key))
                .map(EndpointsTopic.Rec::value).toList();
    }

    private static List<String> addresses(String key) {
        return EndpointsTopic.latest(KAFKA.bootstrap(), key).values().stream()
                .flatMap(v -> decode(v).endpoints().stream()).map(e -> e.address()).toList();
    }

    private static DiscoveredService decode(String json) {
        return EndpointRecords.service(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
