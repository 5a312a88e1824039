package meshlog.injector;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;
import meshlog.injector.Selection.NamespacePolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Istio's selection table: namespace label x pod label/annotation x host network x already injected. */
class SelectionTest {

    @ParameterizedTest(name = "namespace {0}, pod label {1}, annotation {2} -> {3}")
    @CsvSource({
            "istio-injection=enabled,  -,     -,     true",
            "istio.io/rev=default,     -,     -,     true",
            "istio-injection=enabled,  false, -,     false",
            "istio-injection=enabled,  -,     false, false",
            "istio-injection=enabled,  -,     no,    false",
            "istio-injection=enabled,  true,  false, true",
            "istio-injection=enabled,  -,     maybe, true",
            "-,                        -,     -,     false",
            "-,                        true,  -,     true",
            "-,                        -,     yes,   true",
            "istio-injection=disabled, true,  -,     false",
            "istio-injection=disabled, -,     -,     false",
    })
    void followsTheNamespaceUnlessThePodSays(String nsLabel, String podLabel, String annotation, boolean inject) {
        PodBuilder b = Pods.productpage();
        if (!podLabel.equals("-")) {
            b.editMetadata().addToLabels(Selection.INJECT, podLabel).endMetadata();
        }
        if (!annotation.equals("-")) {
            b.editMetadata().addToAnnotations(Selection.INJECT, annotation).endMetadata();
        }
        Map<String, String> labels = nsLabel.equals("-") ? Map.of()
                : Map.of(nsLabel.split("=")[0], nsLabel.split("=")[1]);
        Pod pod = b.build();
        assertThat(Selection.decide(pod.getMetadata(), pod.getSpec(), "shop", NamespacePolicy.of(labels)).inject())
                .isEqualTo(inject);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "host network, 'hostNetwork pod: its traffic is the node''s, a sidecar cannot capture it'",
            "istio-proxy container, already injected (sidecar.istio.io/status or an istio-proxy container)",
            "status annotation, already injected (sidecar.istio.io/status or an istio-proxy container)",
            "kube-system, namespace kube-system is never injected",
    })
    void neverInjectsWhatCannotOrNeedNot(String what, String reason) {
        PodBuilder b = Pods.productpage().editMetadata().addToLabels(Selection.INJECT, "true").endMetadata();
        String namespace = "shop";
        switch (what) {
            case "host network" -> b.editSpec().withHostNetwork(true).endSpec();
            case "istio-proxy container" -> b.editSpec().addNewContainer().withName("istio-proxy").endContainer()
                    .endSpec();
            case "status annotation" -> b.editMetadata().addToAnnotations(Selection.STATUS, "{}").endMetadata();
            default -> namespace = "kube-system";
        }
        Pod pod = b.build();
        Selection.Decision d = Selection.decide(pod.getMetadata(), pod.getSpec(), namespace, NamespacePolicy.ENABLED);
        assertThat(d.inject()).isFalse();
        assertThat(d.reason()).isEqualTo(reason);
    }
}
