package meshlog.injector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class InjectorTest {

    static Injector.Planned plan(Pod pod) {
        Injector.Outcome o = Injector.plan(pod.getMetadata(), pod.getSpec(), "shop",
                Selection.NamespacePolicy.ENABLED, Pods.EAST);
        assertThat(o).isInstanceOf(Injector.Planned.class);
        return (Injector.Planned) o;
    }

    @Test
    void theProxyRunsTheAgentAsUid1337WithTheClusterTheDistributorAndTheToken() {
        Container proxy = plan(Pods.productpage().build()).sidecar().proxy();
        assertThat(proxy.getName()).isEqualTo("istio-proxy");
        assertThat(proxy.getImage()).isEqualTo("meshlog-sidecar:0.1.0");
        assertThat(proxy.getArgs()).containsExactly("agent", "--envoy", "--cluster", "east", "--xds",
                "meshlog.meshlog-system.svc:15012", "--ca", "meshlog-ca.meshlog-system.svc:15012",
                "--root-cert", "/var/run/secrets/istio/root-cert.pem",
                "--token-file", "/var/run/secrets/tokens/istio-token",
                "--socket", "/etc/istio/proxy/meshlog-agent.sock");
        assertThat(proxy.getSecurityContext().getRunAsUser()).isEqualTo(1337L);
        assertThat(proxy.getSecurityContext().getRunAsGroup()).isEqualTo(1337L);
        assertThat(proxy.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(proxy.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz/ready");
        assertThat(proxy.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(15021);
        Map<String, String> fields = proxy.getEnv().stream().filter(e -> e.getValueFrom() != null)
                .collect(Collectors.toMap(EnvVar::getName, e -> e.getValueFrom().getFieldRef().getFieldPath()));
        assertThat(fields).containsExactlyInAnyOrderEntriesOf(Map.of("POD_NAME", "metadata.name",
                "POD_NAMESPACE", "metadata.namespace", "INSTANCE_IP", "status.podIP",
                "SERVICE_ACCOUNT", "spec.serviceAccountName", "HOST_IP", "status.hostIP",
                "ISTIO_META_NODE_NAME", "spec.nodeName"));
        Map<String, String> values = proxy.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertThat(values).containsExactlyInAnyOrderEntriesOf(Map.of("ISTIO_META_CLUSTER_ID", "east",
                "ISTIO_META_INTERCEPTION_MODE", "REDIRECT", "ISTIO_META_APP_CONTAINERS", "productpage",
                "ISTIO_METAJSON_LABELS", "{\"app\":\"productpage\",\"version\":\"v1\"}"));
        assertThat(proxy.getVolumeMounts()).extracting(m -> m.getName() + ":" + m.getMountPath()).containsExactly(
                "istio-envoy:/etc/istio/proxy", "istio-data:/var/lib/istio/data", "istio-podinfo:/etc/istio/pod",
                "istio-token:/var/run/secrets/tokens", "istiod-ca-cert:/var/run/secrets/istio");
    }

    @Test
    void theInitContainerRunsMeshlogIptablesWithNetAdminAndTheDefaultCapture() {
        Container init = plan(Pods.productpage().build()).sidecar().init();
        assertThat(init.getName()).isEqualTo("istio-init");
        assertThat(init.getArgs()).containsExactly("iptables", "--include-outbound-ip-ranges=*",
                "--exclude-outbound-ip-ranges=", "--exclude-outbound-ports=", "--include-inbound-ports=*",
                "--exclude-inbound-ports=");
        assertThat(init.getSecurityContext().getCapabilities().getAdd()).containsExactly("NET_ADMIN", "NET_RAW");
        assertThat(init.getSecurityContext().getRunAsUser()).isZero();
    }

    @Test
    void theVolumesAreTheProjectedTokenForIstioCaTheRootAndThreeForTheProxy() {
        List<Volume> volumes = plan(Pods.productpage().build()).sidecar().volumes();
        assertThat(volumes).extracting(Volume::getName)
                .containsExactly("istio-envoy", "istio-data", "istio-podinfo", "istio-token", "istiod-ca-cert");
        assertThat(volumes.get(4).getConfigMap().getName()).isEqualTo("istio-ca-root-cert");
        var token = volumes.get(3).getProjected().getSources().get(0).getServiceAccountToken();
        assertThat(token.getAudience()).isEqualTo("istio-ca");
        assertThat(token.getPath()).isEqualTo("istio-token");
        assertThat(volumes.get(0).getEmptyDir().getMedium()).isEqualTo("Memory");
        assertThat(volumes.get(2).getDownwardAPI().getItems()).extracting(i -> i.getFieldRef().getFieldPath())
                .containsExactly("metadata.labels", "metadata.annotations");
    }

    @Test
    void resourcesAreIstiosDefaultsUnlessAnAnnotationSaysOtherwise() {
        Container plain = plan(Pods.productpage().build()).sidecar().proxy();
        assertThat(plain.getResources().getRequests()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cpu", new Quantity("100m"), "memory", new Quantity("128Mi")));
        assertThat(plain.getResources().getLimits()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cpu", new Quantity("2000m"), "memory", new Quantity("1024Mi")));
        Container sized = plan(Pods.withAnnotations(Map.of("sidecar.istio.io/proxyCPU", "250m",
                "sidecar.istio.io/proxyMemory", "256Mi", "sidecar.istio.io/proxyMemoryLimit", "512Mi")))
                .sidecar().proxy();
        assertThat(sized.getResources().getRequests()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cpu", new Quantity("250m"), "memory", new Quantity("256Mi")));
        assertThat(sized.getResources().getLimits()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cpu", new Quantity("2000m"), "memory", new Quantity("512Mi")));
    }

    @Test
    void badAnnotationsRefuseThePodNamingTheAnnotationAndValue() {
        assertThatThrownBy(() -> plan(Pods.withAnnotations(Map.of("sidecar.istio.io/proxyCPU", "lots"))))
                .isInstanceOf(InjectionException.class)
                .hasMessage("annotation sidecar.istio.io/proxyCPU: \"lots\" is not a Kubernetes quantity (like 100m,"
                        + " 0.5, 128Mi, 1Gi)");
        assertThatThrownBy(() -> plan(Pods.withAnnotations(Map.of("sidecar.istio.io/proxyMemory", "2Gi"))))
                .hasMessage("annotation sidecar.istio.io/proxyMemory (2Gi) is greater than"
                        + " sidecar.istio.io/proxyMemoryLimit (1024Mi)");
        assertThatThrownBy(() -> plan(Pods.withAnnotations(Map.of(
                "traffic.sidecar.istio.io/excludeOutboundIPRanges", "10.0.0.0/8,fd00::/8"))))
                .hasMessage("annotation traffic.sidecar.istio.io/excludeOutboundIPRanges: \"fd00::/8\" is not an IPv4"
                        + " address or CIDR (like 10.0.0.0/8; meshlog captures IPv4 only)");
        assertThatThrownBy(() -> plan(Pods.withAnnotations(Map.of(
                "traffic.sidecar.istio.io/excludeInboundPorts", "8080,70000"))))
                .hasMessage("annotation traffic.sidecar.istio.io/excludeInboundPorts: \"70000\" is not a port"
                        + " (1-65535)");
        assertThatThrownBy(() -> plan(Pods.productpage().editSpec().addNewVolume().withName("istio-data")
                .withNewEmptyDir().endEmptyDir().endVolume().endSpec().build()))
                .hasMessageStartingWith("spec.volumes: the pod already has a volume named istio-data");
    }

    @Test
    void theInitContainerCarriesTheTrafficAnnotations() {
        Container init = plan(Pods.withAnnotations(Map.of(
                "traffic.sidecar.istio.io/includeOutboundIPRanges", "10.96.0.0/12, 10.244.0.0/16",
                "traffic.sidecar.istio.io/excludeOutboundPorts", "5432",
                "traffic.sidecar.istio.io/includeInboundPorts", "9080",
                "traffic.sidecar.istio.io/excludeInboundPorts", "9443"))).sidecar().init();
        assertThat(init.getArgs()).containsExactly("iptables",
                "--include-outbound-ip-ranges=10.96.0.0/12,10.244.0.0/16", "--exclude-outbound-ip-ranges=",
                "--exclude-outbound-ports=5432", "--include-inbound-ports=9080", "--exclude-inbound-ports=9443");
    }

    @Test
    void thePatchAppliedByARealJsonPatchGivesTheSamePodAsKubeInjectsMutation() {
        Pod pod = Pods.productpage().editSpec().addNewInitContainer().withName("migrate").withImage("db")
                .endInitContainer().addNewVolume().withName("cache").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().editMetadata().withAnnotations(Map.of("prometheus.io/scrape", "true")).endMetadata()
                .build();
        Injector.Planned p = plan(pod);
        JsonNode patched = JsonPatch.apply(Injector.patch(pod.getMetadata(), pod.getSpec(), p.sidecar()),
                KubeJson.JSON.valueToTree(pod));
        Pod viaPatch = KubeJson.JSON.treeToValue(patched, Pod.class);

        Pod viaMutation = Pods.productpage().editSpec().addNewInitContainer().withName("migrate").withImage("db")
                .endInitContainer().addNewVolume().withName("cache").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().editMetadata().withAnnotations(Map.of("prometheus.io/scrape", "true")).endMetadata()
                .build();
        TemplateMutation.apply(viaMutation.getMetadata(), viaMutation.getSpec(), p.sidecar());

        assertThat(viaPatch).isEqualTo(viaMutation);
        assertThat(viaPatch.getSpec().getInitContainers()).extracting(Container::getName)
                .containsExactly("istio-init", "migrate");
        assertThat(viaPatch.getSpec().getContainers()).extracting(Container::getName)
                .containsExactly("productpage", "istio-proxy");
        assertThat(viaPatch.getSpec().getVolumes()).extracting(Volume::getName)
                .containsExactly("cache", "istio-envoy", "istio-data", "istio-podinfo", "istio-token",
                        "istiod-ca-cert");
        assertThat(viaPatch.getMetadata().getAnnotations()).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("kubectl.kubernetes.io/default-container", "productpage")
                .containsEntry("sidecar.istio.io/status", "{\"initContainers\":[\"istio-init\"],\"containers\":"
                        + "[\"istio-proxy\"],\"volumes\":[\"istio-envoy\",\"istio-data\",\"istio-podinfo\","
                        + "\"istio-token\",\"istiod-ca-cert\"],\"imagePullSecrets\":null,\"revision\":\"default\"}");
        assertThat(viaPatch.getMetadata().getLabels()).containsEntry("security.istio.io/tlsMode", "istio");
        // A second pass sees the status annotation and leaves the pod alone.
        assertThat(Injector.plan(viaPatch.getMetadata(), viaPatch.getSpec(), "shop",
                Selection.NamespacePolicy.ENABLED, Pods.EAST)).isInstanceOf(Injector.Skipped.class);
    }

    @Test
    void aPodWithoutAnnotationsOrInitContainersGetsThemWhole() {
        Pod pod = Pods.productpage().build();
        JsonNode patch = Injector.patch(pod.getMetadata(), pod.getSpec(), plan(pod).sidecar());
        List<String> paths = new java.util.ArrayList<>();
        patch.forEach(op -> paths.add(op.get("path").asString()));
        assertThat(paths).containsExactly("/spec/initContainers",
                "/spec/containers/-", "/spec/volumes", "/metadata/annotations", "/metadata/labels/"
                        + "security.istio.io~1tlsMode");
        Pod after = KubeJson.JSON.treeToValue(JsonPatch.apply(patch, KubeJson.JSON.valueToTree(pod)), Pod.class);
        assertThat(after.getSpec().getInitContainers()).extracting(Container::getName).containsExactly("istio-init");
    }
}
