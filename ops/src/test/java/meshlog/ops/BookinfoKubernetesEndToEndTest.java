package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import meshlog.testkit.EnvoyBinary;
import meshlog.testkit.EnvoyProcess;
import meshlog.testkit.HttpBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bookinfo as shipped routes through a real Envoy: its {@code reviews} Service and pods live in a Kubernetes API
 * server (fabric8's mock, {@link MockApiServer}: no kube-apiserver can run here), discovery watches it and
 * publishes to {@code meshlog.endpoints} on the real broker of {@code meshlog up --kubeconfig east=FILE} (discovery
 * in the node), whose reconciler and distributors
 * serve a real Envoy 1.40 sidecar (interception NONE) of the productpage workload. Istio's own
 * {@code destination-rule-all.yaml} and {@code virtual-service-reviews-jason-v2-v3.yaml} are committed to git
 * unchanged: {@code reviews} is a short name, resolved against the Kubernetes host. The pods are HTTP backends on
 * 127.0.0.11-14, each its own EndpointSlice (so each can have its backend's port). The Service port is a free port
 * rather than Bookinfo's 9080, since the sidecar binds it on this shared machine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BookinfoKubernetesEndToEndTest {

    static final Path SAMPLES = Path.of("../gateway-api/src/test/resources/istio/bookinfo/networking");
    static final Duration CONVERGE = Duration.ofSeconds(30);

    @TempDir
    static Path tmp;
    static final List<String> PODS = List.of("reviews-v1-0", "reviews-v2-0", "reviews-v3-0", "reviews-v3-1");
    static final Map<String, HttpBackend> pods = new java.util.LinkedHashMap<>();
    static int port;
    static MockApiServer api;
    static MockApiServer west;
    static MeshRepo repo;
    static MeshlogNode node;
    static EnvoyProcess envoy;

    @BeforeAll
    static void start() throws Exception {
        EnvoyBinary.require();
        for (String pod : PODS) {
            pods.put(pod, HttpBackend.start(pod, InetAddress.getByName(address(pod))));
        }
        port = EnvoySidecar.freePort();
        api = MockApiServer.start(tmp.resolve("kube"), "east");
        bookinfoReviews(api.kube());
        repo = new MeshRepo(tmp.resolve("mesh"), 1, 2);
        repo.commit("destination-rule-all.yaml", Files.readString(SAMPLES.resolve("destination-rule-all.yaml")),
                "bookinfo: destination rules");
        repo.commit("virtual-service-reviews.yaml", Files.readString(
                SAMPLES.resolve("virtual-service-reviews-jason-v2-v3.yaml")), "bookinfo: jason to v2, else v3");
        // `meshlog up --kubeconfig east=FILE`: discovery runs in the node, against its broker.
        node = MeshlogNode.start(UpOptions.parse(List.of("--repo", repo.dir().toString(), "--clusters", "east",
                "--replicas", "1", "--xds-port", "0", "--admin-port", "0", "--data-dir", tmp.resolve("data").toString(),
                "--poll", "100ms", "--kubeconfig", "east=" + api.kubeconfig())));
        String xds = node.replicas().get(0).server().address();
        int colon = xds.lastIndexOf(':');
        envoy = EnvoyProcess.start(new EnvoyBootstrap(xds.substring(0, colon),
                Integer.parseInt(xds.substring(colon + 1)), "east",
                "sidecar~127.0.0.1~productpage-v1-0.default~default.svc.cluster.local",
                Map.of("app", "productpage", "version", "v1"), "bookinfo-productpage", "NONE", 0, false).text(),
                tmp.resolve("envoy"));
    }

    /** Bookinfo's reviews Service, its three Deployments' pods (two of v3) and the slices a controller writes. */
    static void bookinfoReviews(KubernetesClient kube) {
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("default").endMetadata()
                .build()).create();
        kube.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("reviews")
                .withLabels(Map.of("app", "reviews", "service", "reviews")).endMetadata().withNewSpec()
                .withClusterIP("10.96.0.12").withClusterIPs("10.96.0.12").addNewPort().withName("http")
                .withPort(port).withTargetPort(new IntOrString(9080)).endPort()
                .withSelector(Map.of("app", "reviews")).endSpec().build()).create();
        pods.forEach((name, backend) -> {
            String version = name.substring("reviews-".length(), "reviews-vN".length());
            kube.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name)
                    .withLabels(Map.of("app", "reviews", "version", version)).endMetadata().withNewSpec()
                    .withServiceAccountName("bookinfo-reviews").addNewContainer().withName("reviews")
                    .withImage("docker.io/istio/examples-bookinfo-reviews-" + version + ":1.20.3").endContainer()
                    .endSpec().withNewStatus().withPhase("Running").endStatus().build()).create();
            kube.discovery().v1().endpointSlices().inNamespace("default").resource(new EndpointSliceBuilder()
                    .withNewMetadata().withName(name).withLabels(Map.of("kubernetes.io/service-name", "reviews"))
                    .endMetadata().withAddressType("IPv4").withPorts(new EndpointPortBuilder().withName("http")
                            .withPort(backend.port()).withProtocol("TCP").build())
                    .withEndpoints(new EndpointBuilder().withAddresses(address(name)).withNewConditions()
                            .withReady(true).endConditions().withNewTargetRef().withKind("Pod").withName(name)
                            .endTargetRef().build()).build()).create();
        });
    }

    /** The pod's IP: 127.0.0.11 and on, in {@link #PODS} order. */
    static String address(String pod) {
        return "127.0.0." + (11 + PODS.indexOf(pod));
    }

    /** The sum of every Envoy counter whose name matches {@code regex}; fails if none does. */
    static long sum(String regex) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
        List<Long> values = envoy.admin("/stats").lines().map(l -> l.split(": ", 2))
                .filter(kv -> kv.length == 2 && p.matcher(kv[0]).matches()).map(kv -> Long.parseLong(kv[1].trim()))
                .toList();
        assertThat(values).as("Envoy counters matching %s", regex).isNotEmpty();
        return values.stream().mapToLong(Long::longValue).sum();
    }

    @AfterAll
    static void stop() throws Exception {
        if (envoy != null) {
            envoy.close();
        }
        if (node != null) {
            node.close();
        }
        if (repo != null) {
            repo.close();
        }
        if (api != null) {
            api.close();
        }
        if (west != null) {
            west.close();
        }
        pods.values().forEach(HttpBackend::close);
    }

    /** Which pod answered {@code n} requests to {@code reviews:<port>}, by pod. */
    static Map<String, Integer> spread(int n, String... headers) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        HttpCalls calls = new HttpCalls(port);
        for (int i = 0; i < n; i++) {
            out.merge(calls.get("reviews", "/reviews/0", headers).backend(), 1, Integer::sum);
        }
        return out;
    }

    @Test
    @Order(1)
    void theShortNameReviewsFollowsTheVirtualServiceToThePodsOfEachVersion() {
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(200))
                .until(() -> spread(1).containsKey("reviews-v3-0") || spread(1).containsKey("reviews-v3-1"));

        Map<String, Integer> others = spread(40);
        Map<String, Integer> jason = spread(20, "end-user", "jason");

        assertThat(others.keySet()).containsExactly("reviews-v3-0", "reviews-v3-1");
        assertThat(jason).containsExactly(Map.entry("reviews-v2-0", 20));
        assertThat(pods.get("reviews-v1-0").count()).isZero();
        await().atMost(CONVERGE).until(() -> new NodeStatus(node).notReady().isEmpty());
        assertThat(envoy.stat("cluster_manager.cds.update_rejected")).isZero();
        assertThat(envoy.stat("listener_manager.lds.update_rejected")).isZero();
    }

    @Test
    @Order(2)
    void anEndpointRemovedInKubernetesIsNoLongerSentToAndOnlyEndpointsChange() {
        long cds = envoy.stat("cluster_manager.cds.update_success");
        long lds = envoy.stat("listener_manager.lds.update_success");
        long rds = sum("http\\..*\\.rds\\..*\\.update_success");
        long eds = sum("cluster\\.outbound\\|.*reviews.*\\.update_success");

        api.kube().discovery().v1().endpointSlices().inNamespace("default").withName("reviews-v3-1").delete();
        long t0 = System.nanoTime();
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(50))
                .until(() -> spread(10).equals(Map.of("reviews-v3-0", 10)));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        pods.get("reviews-v3-1").reset();

        assertThat(spread(40)).containsExactly(Map.entry("reviews-v3-0", 40));
        assertThat(pods.get("reviews-v3-1").count()).isZero();
        // Only EDS changed: no new clusters, listeners or routes were sent.
        assertThat(envoy.stat("cluster_manager.cds.update_success")).isEqualTo(cds);
        assertThat(envoy.stat("listener_manager.lds.update_success")).isEqualTo(lds);
        assertThat(sum("http\\..*\\.rds\\..*\\.update_success")).isEqualTo(rds);
        assertThat(sum("cluster\\.outbound\\|.*reviews.*\\.update_success")).as("EDS updates").isGreaterThan(eds);
        assertThat(envoy.stat("cluster_manager.cds.update_rejected")).isZero();
        assertThat(envoy.alive()).isTrue();
        System.out.println("endpoint removed in the API server -> Envoy stops sending to it: " + millis + " ms");
    }
    @Test
    @Order(3)
    void aClusterWhoseKubeconfigIsCommittedIsDiscoveredWithoutARestartAndLeavesWithItsCluster() throws Exception {
        // A second cluster, west, runs reviews v3 too: a pod the test's third address serves.
        HttpBackend westPod = HttpBackend.start("reviews-v3-west", InetAddress.getByName("127.0.0.15"));
        try {
            west = MockApiServer.start(tmp.resolve("kube-west"), "west");
            westReviews(west.kube(), westPod);
            assertThat(node.discoveries()).extracting(DiscoveryComponent::name).containsExactly("discovery east");

            repo.commit("clusters.yaml", """
                    apiVersion: meshlog.dev/v1alpha1
                    kind: Cluster
                    metadata: {name: east}
                    spec: {}
                    ---
                    apiVersion: meshlog.dev/v1alpha1
                    kind: Cluster
                    metadata: {name: west}
                    spec:
                      kubeconfig: %s
                    """.formatted(west.kubeconfig().toAbsolutePath()), "clusters: west, discovered through its kubeconfig");
            long t0 = System.nanoTime();
            await().atMost(CONVERGE).pollInterval(Duration.ofMillis(100))
                    .until(() -> spread(10).containsKey("reviews-v3-west"));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(spread(40).keySet()).containsExactly("reviews-v3-0", "reviews-v3-west");
            assertThat(node.discoveries()).extracting(DiscoveryComponent::name)
                    .containsExactlyInAnyOrder("discovery east", "discovery west");
            // The node keeps west trusting its root, as it does east.
            await().atMost(CONVERGE).until(() -> west.kube().configMaps().inNamespace("default")
                    .withName("istio-ca-root-cert").get() != null);
            assertThat(west.kube().configMaps().inNamespace("default").withName("istio-ca-root-cert").get().getData()
                    .get("root-cert.pem")).isEqualTo(Files.readString(tmp.resolve("data/ca/root-cert.pem")));

            repo.commit("clusters.yaml", """
                    apiVersion: meshlog.dev/v1alpha1
                    kind: Cluster
                    metadata: {name: east}
                    spec: {}
                    """, "clusters: west removed");
            await().atMost(CONVERGE).pollInterval(Duration.ofMillis(100))
                    .until(() -> spread(10).equals(Map.of("reviews-v3-0", 10)));
            westPod.reset();
            assertThat(spread(40)).containsExactly(Map.entry("reviews-v3-0", 40));
            assertThat(westPod.count()).isZero();
            await().atMost(CONVERGE).until(() -> node.discoveries().size() == 1);
            assertThat(node.discoveries()).extracting(DiscoveryComponent::name).containsExactly("discovery east");
            assertThat(new NodeStatus(node).notReady()).isEmpty();
            System.out.println("Cluster with spec.kubeconfig committed -> its endpoints reach Envoy: " + millis + " ms");
        } finally {
            westPod.close();
        }
    }

    /** West's reviews: the same Service (namespace sameness), one v3 pod on 127.0.0.15. */
    static void westReviews(KubernetesClient kube, HttpBackend pod) {
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("default").endMetadata()
                .build()).create();
        kube.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("reviews")
                .endMetadata().withNewSpec().withClusterIP("10.97.0.12").withClusterIPs("10.97.0.12").addNewPort()
                .withName("http").withPort(port).withTargetPort(new IntOrString(9080)).endPort()
                .withSelector(Map.of("app", "reviews")).endSpec().build()).create();
        kube.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("reviews-v3-west")
                .withLabels(Map.of("app", "reviews", "version", "v3")).endMetadata().withNewSpec()
                .withServiceAccountName("bookinfo-reviews").addNewContainer().withName("reviews")
                .withImage("docker.io/istio/examples-bookinfo-reviews-v3:1.20.3").endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus().build()).create();
        kube.discovery().v1().endpointSlices().inNamespace("default").resource(new EndpointSliceBuilder()
                .withNewMetadata().withName("reviews-west").withLabels(Map.of("kubernetes.io/service-name", "reviews"))
                .endMetadata().withAddressType("IPv4").withPorts(new EndpointPortBuilder().withName("http")
                        .withPort(pod.port()).withProtocol("TCP").build())
                .withEndpoints(new EndpointBuilder().withAddresses("127.0.0.15").withNewConditions()
                        .withReady(true).endConditions().withNewTargetRef().withKind("Pod").withName("reviews-v3-west")
                        .endTargetRef().build()).build()).create();
    }
}
