package meshlog.discovery.k8s;

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
import meshlog.discovery.EndpointRecords;
import meshlog.discovery.model.DiscoveredService;
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

    @Test
    void aServiceAndItsEndpointLandAsOneRecordWithHostVipPortsLabelsLocalityAndHealth() {
        MockCluster c1 = keep(new MockCluster(dir, "c1"));
        reviews(c1.kube());
        ClusterDiscovery d = discover("c1", c1);

        await().atMost(WAIT).until(() -> EndpointsTopic.latest(KAFKA.bootstrap(), "c1/").size() == 2);
        Map<String, String> records = EndpointsTopic.latest(KAFKA.bootstrap(), "c1/");
        System.out.println(records);
        assertThat(d.problem()).isEmpty();
    }
}
