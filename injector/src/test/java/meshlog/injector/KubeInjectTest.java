package meshlog.injector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class KubeInjectTest {

    static final Path BOOKINFO = Path.of("/work/shared/istio-samples/bookinfo/platform/bookinfo.yaml");

    static List<JsonNode> documents(String yaml) {
        List<JsonNode> out = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---[ \\t]*(#.*)?$")) {
            JsonNode n = KubeJson.YAML.readTree(doc);
            if (n != null && !n.isMissingNode() && !n.isNull()) {
                out.add(n);
            }
        }
        return out;
    }

    @Test
    void bookinfoGetsOneSidecarPerDeploymentAndItsServicesAndAccountsAreUnchanged() throws IOException {
        String in = Files.readString(BOOKINFO);
        KubeInject.Result r = KubeInject.inject(in, "bookinfo.yaml", Pods.EAST);
        List<JsonNode> before = documents(in);
        List<JsonNode> after = documents(r.yaml());
        assertThat(after).hasSameSizeAs(before);
        assertThat(r.injected()).isEqualTo(6);
        // Every document kube-inject leaves alone is in the output as written, comments and all.
        for (String doc : in.split("(?m)^---[ \\t]*(#.*)?$")) {
            if (!doc.contains("kind: Deployment")) {
                assertThat(r.yaml()).contains(doc);
            }
        }
        int deployments = 0;
        for (int i = 0; i < before.size(); i++) {
            String kind = before.get(i).path("kind").asString();
            if (!kind.equals("Deployment")) {
                assertThat(after.get(i)).as("%s %s", kind, before.get(i).path("metadata").path("name"))
                        .isEqualTo(before.get(i));
                continue;
            }
            deployments++;
            Deployment d = KubeJson.JSON.treeToValue(after.get(i), Deployment.class);
            Deployment original = KubeJson.JSON.treeToValue(before.get(i), Deployment.class);
            List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
            assertThat(containers).filteredOn(c -> c.getName().equals("istio-proxy")).hasSize(1);
            assertThat(containers.subList(0, containers.size() - 1))
                    .isEqualTo(original.getSpec().getTemplate().getSpec().getContainers());
            assertThat(d.getSpec().getTemplate().getSpec().getInitContainers()).extracting(Container::getName)
                    .containsExactly("istio-init");
            assertThat(d.getSpec().getSelector()).isEqualTo(original.getSpec().getSelector());
            assertThat(d.getMetadata()).isEqualTo(original.getMetadata());
        }
        assertThat(deployments).isEqualTo(6);
        assertThat(r.notes()).hasSize(6).allSatisfy(n -> assertThat(n).endsWith(": injected"));
        assertThat(r.notes().get(0)).startsWith("bookinfo.yaml:").contains("Deployment default/details-v1");
    }

    @Test
    void untouchedDocumentsArePrintedByteForByte() {
        String in = """
                # a comment kept
                apiVersion: v1
                kind: Service
                metadata: {name: web}   # flow style kept
                spec: {ports: [{port: 80}]}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  template:
                    metadata:
                      annotations: {sidecar.istio.io/inject: "false"}
                    spec:
                      containers: [{name: web, image: nginx}]
                """;
        KubeInject.Result r = KubeInject.inject(in, "web.yaml", Pods.EAST);
        assertThat(r.yaml()).isEqualTo(in);
        assertThat(r.notes()).containsExactly("web.yaml:7: Deployment default/web: not injected:"
                + " sidecar.istio.io/inject=false on the pod");
    }

    @Test
    void everyWorkloadKindGetsItsTemplateInjected() {
        String template = """
                    metadata: {labels: {app: x}}
                    spec:
                      containers: [{name: x, image: x}]
                """;
        StringBuilder in = new StringBuilder();
        for (String kind : List.of("StatefulSet", "DaemonSet", "ReplicaSet")) {
            in.append("apiVersion: apps/v1\nkind: ").append(kind).append("\nmetadata: {name: x}\nspec:\n  template:\n")
                    .append(template.indent(2)).append("---\n");
        }
        in.append("apiVersion: batch/v1\nkind: Job\nmetadata: {name: x}\nspec:\n  template:\n")
                .append(template.indent(2)).append("---\n");
        in.append("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: x}\nspec:\n  schedule: '* * * * *'\n"
                + "  jobTemplate:\n    spec:\n      template:\n").append(template.indent(6)).append("---\n");
        in.append("apiVersion: v1\nkind: Pod\n").append(template.indent(-4));
        KubeInject.Result r = KubeInject.inject(in.toString(), "all.yaml", Pods.EAST);
        assertThat(r.injected()).isEqualTo(6);
        List<JsonNode> docs = documents(r.yaml());
        for (JsonNode d : docs.subList(0, 4)) {
            assertThat(names(KubeJson.JSON.treeToValue(d.path("spec").path("template"), PodTemplateSpec.class)))
                    .as(d.path("kind").asString()).containsExactly("x", "istio-proxy");
        }
        CronJob cron = KubeJson.JSON.treeToValue(docs.get(4), CronJob.class);
        assertThat(names(cron.getSpec().getJobTemplate().getSpec().getTemplate())).containsExactly("x", "istio-proxy");
        assertThat(cron.getSpec().getSchedule()).isEqualTo("* * * * *");
        assertThat(docs.get(5).path("spec").path("containers")).hasSize(2);
    }

    @Test
    void theItemsOfAListAreInjectedAsKubectlGetPrintsThem() {
        String in = """
                apiVersion: v1
                kind: List
                items:
                  - apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: a, namespace: shop}
                    spec: {template: {spec: {containers: [{name: a, image: a}]}}}
                  - apiVersion: v1
                    kind: Service
                    metadata: {name: a, namespace: shop}
                    spec: {ports: [{port: 80}]}
                  - apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: b, namespace: shop}
                    spec: {template: {spec: {containers: [{name: b, image: b}]}}}
                """;
        KubeInject.Result r = KubeInject.inject(in, "list.yaml", Pods.EAST);
        assertThat(r.injected()).isEqualTo(2);
        JsonNode out = KubeJson.YAML.readTree(r.yaml());
        JsonNode items = out.get("items");
        assertThat(names(KubeJson.JSON.treeToValue(items.get(0).path("spec").path("template"),
                PodTemplateSpec.class))).containsExactly("a", "istio-proxy");
        assertThat(items.get(1)).isEqualTo(KubeJson.YAML.readTree(in).get("items").get(1));
        assertThat(names(KubeJson.JSON.treeToValue(items.get(2).path("spec").path("template"),
                PodTemplateSpec.class))).containsExactly("b", "istio-proxy");
        assertThat(r.notes()).containsExactly("list.yaml:1: Deployment shop/a: injected",
                "list.yaml:1: Deployment shop/b: injected");
    }

    static List<String> names(PodTemplateSpec t) {
        return t.getSpec().getContainers().stream().map(Container::getName).toList();
    }

    @Test
    void aBadDocumentNamesTheFileLineAndObject() {
        String in = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  template:
                    metadata:
                      annotations: {sidecar.istio.io/proxyCPU: "a lot"}
                    spec:
                      containers: [{name: web, image: nginx}]
                """;
        assertThatThrownBy(() -> KubeInject.inject(in, "web.yaml", Pods.EAST)).isInstanceOf(InjectionException.class)
                .hasMessage("web.yaml:5: Deployment shop/web: annotation sidecar.istio.io/proxyCPU: \"a lot\" is not"
                        + " a Kubernetes quantity (like 100m, 0.5, 128Mi, 1Gi)");
        assertThatThrownBy(() -> KubeInject.inject("a: [\n", "x.yaml", Pods.EAST))
                .hasMessageStartingWith("x.yaml:1: not YAML: ");
    }
}
