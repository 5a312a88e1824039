package meshlog.injector;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;

/** Pods the tests inject: Bookinfo's productpage as the ReplicaSet controller creates it. */
final class Pods {

    static final InjectionSettings EAST = new InjectionSettings("east", "meshlog-sidecar:0.1.0",
            InjectionSettings.DEFAULT_XDS_ADDRESS, InjectionSettings.DEFAULT_CA_ADDRESS);

    private Pods() {
    }

    static PodBuilder productpage() {
        return new PodBuilder().withNewMetadata().withGenerateName("productpage-v1-5d9b4c9-")
                .withNamespace("shop").withLabels(Map.of("app", "productpage", "version", "v1"))
                .endMetadata()
                .withNewSpec().withServiceAccountName("bookinfo-productpage")
                .addNewContainer().withName("productpage").withImage("docker.io/istio/examples-bookinfo-productpage-v1")
                .addNewPort().withContainerPort(9080).endPort().endContainer()
                .endSpec();
    }

    static Pod withAnnotations(Map<String, String> annotations) {
        return productpage().editMetadata().withAnnotations(annotations).endMetadata().build();
    }
}
