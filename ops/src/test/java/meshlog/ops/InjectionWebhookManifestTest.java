package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import meshlog.injector.InjectionSettings;
import meshlog.injector.Selection;
import meshlog.injector.WebhookServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The workload cluster's MutatingWebhookConfiguration against the injector it calls: the Service, port and path
 * reach the injector's webhook; the policy is Istio's (Fail, no side effects, v1, never reinvoked, pod CREATE); and
 * its selectors send the API server's pods exactly when {@link Selection} (by labels) injects them.
 */
class InjectionWebhookManifestTest {

    static List<HasMetadata> objects;
    static MutatingWebhookConfiguration config;

    @BeforeAll
    static void build() throws IOException {
        objects = KubernetesManifestsTest.build(KubernetesManifestsTest.ROOT.resolve("workload-cluster"));
        config = objects.stream().filter(MutatingWebhookConfiguration.class::isInstance)
                .map(MutatingWebhookConfiguration.class::cast).findFirst().orElseThrow();
    }

    @Test
    void everyWebhookCallsTheInjectorsHttpsPortAtInjectWithIstiosPolicy() {
        Service service = objects.stream().filter(Service.class::isInstance).map(Service.class::cast)
                .filter(s -> s.getMetadata().getName().equals("meshlog-injector")).findFirst().orElseThrow();
        Deployment injector = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .filter(d -> d.getMetadata().getName().equals("meshlog-injector")).findFirst().orElseThrow();
        var container = injector.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(config.getWebhooks()).hasSize(3);
        for (MutatingWebhook w : config.getWebhooks()) {
            var ref = w.getClientConfig().getService();
            assertThat(ref.getName()).isEqualTo("meshlog-injector");
            assertThat(ref.getNamespace()).isEqualTo("meshlog-system");
            assertThat(ref.getPath()).isEqualTo(WebhookServer.PATH);
            ServicePort port = service.getSpec().getPorts().stream().filter(p -> p.getPort().equals(ref.getPort()))
                    .findFirst().orElseThrow();
            assertThat(port.getPort()).isEqualTo(443);
            int target = container.getPorts().stream().filter(p -> p.getName().equals(port.getTargetPort()
                    .getStrVal())).findFirst().orElseThrow().getContainerPort();
            assertThat(container.getArgs().get(container.getArgs().indexOf("--port") + 1))
                    .isEqualTo(String.valueOf(target));
            assertThat(w.getFailurePolicy()).isEqualTo("Fail");
            assertThat(w.getSideEffects()).isEqualTo("None");
            assertThat(w.getAdmissionReviewVersions()).containsExactly("v1");
            assertThat(w.getReinvocationPolicy()).isEqualTo("Never");
            assertThat(w.getRules()).singleElement().satisfies(r -> {
                assertThat(r.getOperations()).containsExactly("CREATE");
                assertThat(r.getResources()).containsExactly("pods");
                assertThat(r.getApiGroups()).containsExactly("");
            });
        }
        // The sidecars' distributor: the Service meshlog, its mTLS port (which the distributor's mTLS work adds).
        assertThat(container.getArgs()).containsSubsequence("--xds-address", InjectionSettings.DEFAULT_XDS_ADDRESS);
        assertThat(InjectionSettings.DEFAULT_XDS_ADDRESS).startsWith("meshlog.meshlog-system.svc:");
        assertThat(objects).anyMatch(o -> o instanceof Service && o.getMetadata().getName().equals("meshlog"));
    }

    @Test
    void theSelectorsSendAPodExactlyWhenSelectionInjectsIt() {
        List<Map<String, String>> namespaces = List.of(Map.of(), Map.of("istio-injection", "enabled"),
                Map.of("istio-injection", "disabled"), Map.of("istio.io/rev", "default"),
                Map.of("istio-injection", "enabled", "istio.io/rev", "default"));
        List<Map<String, String>> pods = List.of(Map.of("app", "web"), Map.of(Selection.INJECT, "true"),
                Map.of(Selection.INJECT, "false"));
        for (String name : List.of("shop", "meshlog-system", "kube-system")) {
            for (Map<String, String> ns : namespaces) {
                Map<String, String> nsLabels = new HashMap<>(ns);
                nsLabels.put("kubernetes.io/metadata.name", name);
                for (Map<String, String> podLabels : pods) {
                    boolean sent = config.getWebhooks().stream().anyMatch(w -> matches(w.getNamespaceSelector(),
                            nsLabels) && matches(w.getObjectSelector(), podLabels));
                    Pod pod = new PodBuilder().withNewMetadata().withLabels(podLabels).endMetadata().withNewSpec()
                            .endSpec().build();
                    boolean injected = Selection.decide(pod.getMetadata(), pod.getSpec(), name,
                            Selection.NamespacePolicy.of(ns)).inject();
                    // meshlog-system is never sent (the injector must not depend on itself), though
                    // Selection alone would inject a pod there that asks.
                    boolean expected = injected && !name.equals("meshlog-system");
                    assertThat(sent).as("namespace %s %s, pod %s", name, ns, podLabels).isEqualTo(expected);
                }
            }
        }
    }

    /** A label selector as the API server evaluates it (matchLabels and the four operators). */
    static boolean matches(LabelSelector s, Map<String, String> labels) {
        if (s == null) {
            return true;
        }
        if (s.getMatchLabels() != null && !labels.entrySet().containsAll(s.getMatchLabels().entrySet())) {
            return false;
        }
        for (LabelSelectorRequirement r : s.getMatchExpressions()) {
            String v = labels.get(r.getKey());
            boolean ok = switch (r.getOperator()) {
                case "In" -> v != null && r.getValues().contains(v);
                case "NotIn" -> v == null || !r.getValues().contains(v);
                case "Exists" -> v != null;
                case "DoesNotExist" -> v == null;
                default -> throw new AssertionError(r.getOperator());
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
