package meshlog.discovery.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshlog.configstore.endpoints.EndpointRecords;
import meshlog.discovery.Discovered;
import meshlog.discovery.DiscoveryLimits;
import meshlog.discovery.ServiceDiscovery;
import meshlog.discovery.kube.ClusterView;
import meshlog.discovery.kube.KubeNamespace;
import org.junit.jupiter.api.Test;

/**
 * Istio's Bookinfo as shipped ({@code samples/bookinfo/platform/kube/bookinfo.yaml}, the copy in gateway-api's test
 * resources: Services, ServiceAccounts, Deployments) read by discovery, as a cluster would run it: each Deployment's
 * pod (its template's labels and service account, an IP in 10.1.0.0/24; and an old reviews-v3 pod still
 * terminating), each Service a ClusterIP and the EndpointSlice its controller would write. The records are the
 * reconciler's golden input {@code golden/bookinfo-kubernetes/discovered.jsonl} (regenerated with
 * {@code -Dgolden.update=true}), so that golden starts from what discovery makes of Bookinfo.
 */
class BookinfoRecordsTest {

    static final Path SAMPLE = Path.of("../gateway-api/src/test/resources/istio/bookinfo/platform/bookinfo.yaml");
    static final Path GOLDEN = Path.of("../reconciler/src/test/resources/golden/bookinfo-kubernetes/discovered.jsonl");

    @Test
    void bookinfoAsShippedGivesTheGoldenInputRecords() throws IOException {
        List<HasMetadata> objects = read(SAMPLE);
        List<Service> services = objects.stream().filter(Service.class::isInstance).map(Service.class::cast)
                .toList();
        List<Deployment> deployments = objects.stream().filter(Deployment.class::isInstance)
                .map(Deployment.class::cast).toList();
        assertThat(services).extracting(s -> s.getMetadata().getName())
                .containsExactly("details", "ratings", "reviews", "productpage");
        assertThat(deployments).hasSize(6);
        String records = records(services, deployments);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(GOLDEN, records);
        }
        assertThat(records).isEqualTo(Files.readString(GOLDEN));
    }

    /** One JSON line per service record, sorted by key: exactly what discovery would write to the topic. */
    static String records(List<Service> services, List<Deployment> deployments) {
        List<io.fabric8.kubernetes.api.model.Pod> pods = new ArrayList<>();
        for (int i = 0; i < deployments.size(); i++) {
            Deployment d = deployments.get(i);
            var template = d.getSpec().getTemplate();
            pods.add(KubeObjects.pod("default", d.getMetadata().getName() + "-0",
                    template.getMetadata().getLabels(), template.getSpec().getServiceAccountName(), "node-1",
                    "http", 9080));
        }
        // A rollout in progress: an old reviews-v3 pod still terminating (DRAINING), which no proxy is sent.
        Deployment v3 = deployments.stream().filter(d -> d.getMetadata().getName().equals("reviews-v3")).findFirst()
                .orElseThrow();
        pods.add(KubeObjects.pod("default", "reviews-v3-old", v3.getSpec().getTemplate().getMetadata().getLabels(),
                v3.getSpec().getTemplate().getSpec().getServiceAccountName(), "node-1", "http", 9080));
        List<meshlog.discovery.kube.KubeService> kubeServices = new ArrayList<>();
        List<meshlog.discovery.kube.KubeEndpointSlice> slices = new ArrayList<>();
        for (int i = 0; i < services.size(); i++) {
            Service s = services.get(i);
            s.getMetadata().setNamespace("default");
            s.getSpec().setClusterIP("10.96.0." + (10 + i));
            s.getSpec().setClusterIPs(List.of("10.96.0." + (10 + i)));
            kubeServices.add(KubeMapper.service(s));
            slices.add(KubeMapper.slice(slice(s, pods)));
        }
        ClusterView view = new ClusterView("east", kubeServices, slices,
                pods.stream().map(KubeMapper::pod).toList(),
                List.of(KubeMapper.node(KubeObjects.node("node-1", "eu-west", "eu-west-1a", "rack-1"))),
                List.of(new KubeNamespace("default", Map.of())));
        Discovered d = ServiceDiscovery.discover(view, DiscoveryLimits.DEFAULTS);
        StringBuilder out = new StringBuilder();
        d.services().values().forEach(v -> out.append(new String(EndpointRecords.bytes(v), StandardCharsets.UTF_8))
                .append('\n'));
        return out.toString();
    }

    /** The slice the EndpointSlice controller writes for {@code s}: the pods its selector selects, ready. */
    private static EndpointSlice slice(Service s, List<io.fabric8.kubernetes.api.model.Pod> pods) {
        Map<String, String> selector = s.getSpec().getSelector();
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < pods.size(); i++) {
            var pod = pods.get(i);
            if (pod.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())) {
                boolean old = pod.getMetadata().getName().endsWith("-old");
                endpoints.add(KubeObjects.endpoint("10.1.0." + (10 + i), pod.getMetadata().getName(), "node-1", !old,
                        true, old));
            }
        }
        var port = s.getSpec().getPorts().get(0);
        return KubeObjects.slice("default", s.getMetadata().getName() + "-abcde", s.getMetadata().getName(),
                port.getName(), port.getPort(), endpoints);
    }

    @SuppressWarnings("unchecked")
    static List<HasMetadata> read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Object parsed = Serialization.unmarshal(in);
            return parsed instanceof List<?> l ? (List<HasMetadata>) l : List.of((HasMetadata) parsed);
        }
    }
}
