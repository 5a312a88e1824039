package meshlog.discovery.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.Map;
import meshlog.configstore.endpoints.DiscoveredService;
import meshlog.configstore.endpoints.EndpointRecords;
import meshlog.discovery.kube.KubeService;
import org.junit.jupiter.api.Test;

/** A Service's {@code networking.istio.io/exportTo} annotation, from the API object to the endpoints record. */
class KubeMapperExportToTest {

    static Service annotated(String value) {
        Service s = KubeObjects.service("shop", "web", "10.96.0.9",
                new ServicePortBuilder().withName("http").withPort(80).build());
        if (value != null) {
            s.getMetadata().setAnnotations(Map.of(KubeService.EXPORT_TO_ANNOTATION, value));
        }
        return s;
    }

    @Test
    void theAnnotationIsSplitAtCommasAndTrimmedAsIstioReadsIt() {
        assertThat(KubeMapper.service(annotated(" ., billing ,, ops")).exportTo())
                .containsExactly(".", "billing", "ops");
        assertThat(KubeMapper.service(annotated("~")).exportTo()).containsExactly("~");
        assertThat(KubeMapper.service(annotated(null)).exportTo()).isEmpty();
        assertThat(KubeMapper.service(annotated("  ")).exportTo()).isEmpty();
    }

    @Test
    void theAnnotationIsBounded() {
        String many = String.join(",", java.util.stream.IntStream.range(0, 500).mapToObj(i -> "ns" + i).toList());
        assertThat(KubeService.exportTo(many)).hasSize(64).startsWith("ns0").endsWith("ns63");
        assertThat(KubeService.exportTo("a".repeat(300) + ",b")).containsExactly("b");
        assertThat(KubeService.exportTo("a,a")).containsExactly("a");
    }

    @Test
    void aRecordWithoutExportToKeepsItsBytesAndOneWithItReadsBack() {
        DiscoveredService plain = new DiscoveredService(1, "c1", "shop", "web", "web.shop.svc.cluster.local",
                "ClusterIP", "", java.util.List.of("10.96.0.9"), java.util.List.of(), java.util.List.of(), 0);
        String json = new String(EndpointRecords.bytes(plain), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("exportTo").endsWith("\"endpointsLeftOut\":0}");
        assertThat(EndpointRecords.service(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(plain);
        DiscoveredService own = new DiscoveredService(1, "c1", "shop", "web", "web.shop.svc.cluster.local",
                "ClusterIP", "", java.util.List.of("10.96.0.9"), java.util.List.of(), java.util.List.of(), 0,
                java.util.List.of("."));
        byte[] bytes = EndpointRecords.bytes(own);
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).endsWith(",\"exportTo\":[\".\"]}");
        assertThat(EndpointRecords.service(bytes)).isEqualTo(own);
    }
}
