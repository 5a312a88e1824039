package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import meshlog.ca.CertificateAuthority;
import meshlog.injector.AdmissionClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meshlog injector}, {@code kube-inject} and {@code iptables} as the command line runs them. */
class InjectorCommandTest {

    @TempDir
    Path tmp;

    static Pod pod() {
        return new PodBuilder().withNewMetadata().withGenerateName("web-").withNamespace("shop").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("nginx").endContainer().endSpec().build();
    }

    @Test
    void theInjectorServesTheWebhookWithACaIssuedCertificateAndItsAdminPort() throws Exception {
        try (ComponentProcess p = ComponentCommand.start("injector", List.of("--cluster", "east", "--port", "0",
                "--admin-port", "0", "--data-dir", tmp.toString(), "--image", "registry.example/meshlog-sidecar:1"))) {
            String admin = "http://127.0.0.1:" + p.adminPort();
            assertThat(get(admin + "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(admin + "/readyz").statusCode()).isEqualTo(200);
            String root = CertificateAuthority.open(tmp.resolve("ca"), "cluster.local", Clock.systemUTC())
                    .trustBundlePem();
            int port = ((InjectorComponent) p.component()).port();
            AdmissionResponse r = new AdmissionClient(port, root).post(AdmissionClient.review("u-1", pod()))
                    .response();
            assertThat(r.getUid()).isEqualTo("u-1");
            Pod after = AdmissionClient.applied(pod(), r);
            assertThat(after.getSpec().getContainers()).extracting(Container::getImage)
                    .containsExactly("nginx", "registry.example/meshlog-sidecar:1");
            HttpResponse<String> status = get(admin + "/api/status");
            assertThat(status.body()).contains("\"injected\" : 1").contains("\"cluster\" : \"east\"");
            assertThat(get(admin + "/metrics").body())
                    .contains("meshlog_injector_reviews_total{cluster=\"east\",outcome=\"injected\"} 1.0");
        }
    }

    @Test
    void badFlagsAreRefusedBeforeAnythingStarts() throws IOException {
        Path cert = Files.writeString(tmp.resolve("tls.crt"), "x");
        assertThat(run(List.of("injector", "--port", "0"))).isEqualTo(2);
        assertThat(err()).contains("--cluster NAME is required");
        assertThat(run(List.of("injector", "--cluster", "east", "--cert", cert.toString()))).isEqualTo(2);
        assertThat(err()).contains("--cert and --key go together");
        assertThat(run(List.of("injector", "--cluster", "east", "--kafka", "127.0.0.1:9092"))).isEqualTo(2);
        assertThat(err()).contains("injector reads no log");
        assertThat(run(List.of("kube-inject", "--cluster", "east"))).isEqualTo(2);
        assertThat(err()).contains("kube-inject needs -f FILE");
    }

    @Test
    void kubeInjectWritesBookinfoWithOneSidecarPerDeployment() throws IOException {
        Path outFile = tmp.resolve("out.yaml");
        assertThat(run(List.of("kube-inject", "-f", "/work/shared/istio-samples/bookinfo/platform/bookinfo.yaml",
                "-o", outFile.toString(), "--cluster", "east"))).isZero();
        KubernetesSerialization kube = new KubernetesSerialization();
        List<Deployment> deployments = java.util.Arrays.stream(Files.readString(outFile).split("(?m)^---\\s*$"))
                .filter(d -> !d.isBlank()).map(d -> (Object) kube.unmarshal(d)).filter(Deployment.class::isInstance)
                .map(Deployment.class::cast).toList();
        assertThat(deployments).hasSize(6).allSatisfy(d -> assertThat(d.getSpec().getTemplate().getSpec()
                .getContainers()).filteredOn(c -> c.getName().equals("istio-proxy")).hasSize(1));
        assertThat(err()).contains("kube-inject: /work/shared/istio-samples/bookinfo/platform/bookinfo.yaml:")
                .contains("Deployment default/productpage-v1: injected");
    }

    @Test
    void kubeInjectNamesTheDocumentItCannotInject() throws IOException {
        Path in = Files.writeString(tmp.resolve("bad.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                  annotations: {traffic.sidecar.istio.io/excludeOutboundPorts: "http"}
                spec:
                  containers: [{name: web, image: nginx}]
                """);
        assertThat(run(List.of("kube-inject", "-f", in.toString(), "--cluster", "east"))).isEqualTo(1);
        assertThat(err()).isEqualTo("meshlog kube-inject: " + in + ":1: Pod default/web: annotation"
                + " traffic.sidecar.istio.io/excludeOutboundPorts: \"http\" is not a port (1-65535)\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void iptablesDryRunPrintsTheRulesTheFlagsAskFor() {
        assertThat(run(List.of("iptables", "--exclude-outbound-ports=5432", "--include-inbound-ports=", "--dry-run")))
                .isZero();
        String rules = out.toString(StandardCharsets.UTF_8);
        assertThat(rules).startsWith("*nat\n").endsWith("COMMIT\n")
                .contains("-A ISTIO_OUTPUT -p tcp --dport 5432 -j RETURN\n").doesNotContain("PREROUTING");
        assertThat(run(List.of("iptables", "--exclude-outbound-ports=ssh", "--dry-run"))).isEqualTo(2);
        assertThat(err()).contains("flag --excludeOutboundPorts: \"ssh\" is not a port");
    }

    /**
     * The injected istio-init's exact arguments, run as a process inside a network namespace as the container runs
     * them: iptables-save then shows the rules it was asked for. Skipped without root, namespaces or iptables.
     */
    @Test
    void theInitContainersCommandWritesItsRulesInAPodsNetworkNamespace() {
        meshlog.testkit.NetNs.require();
        Pod pod = new PodBuilder(pod()).editMetadata().withAnnotations(java.util.Map.of(
                "traffic.sidecar.istio.io/excludeOutboundPorts", "5432",
                "traffic.sidecar.istio.io/excludeInboundPorts", "9443")).endMetadata().build();
        var planned = (meshlog.injector.Injector.Planned) meshlog.injector.Injector.plan(pod.getMetadata(),
                pod.getSpec(), "shop", meshlog.injector.Selection.NamespacePolicy.ENABLED,
                meshlog.injector.InjectionSettings.defaults("east"));
        List<String> args = planned.sidecar().init().getArgs();
        assertThat(args.get(0)).isEqualTo("iptables");
        try (meshlog.testkit.NetNs ns = meshlog.testkit.NetNs.create()) {
            List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                    "java").toString(), "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                    System.getProperty("java.class.path"), Main.class.getName()));
            cmd.addAll(args);
            String printed = ns.inside(cmd);
            assertThat(printed).startsWith("*nat\n");
            String saved = ns.inside(List.of("iptables-save", "-t", "nat"));
            assertThat(saved).contains("-A OUTPUT -p tcp -j ISTIO_OUTPUT",
                    "-A ISTIO_OUTPUT -p tcp -m tcp --dport 5432 -j RETURN",
                    "-A ISTIO_INBOUND -p tcp -m tcp --dport 9443 -j RETURN",
                    "-A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN",
                    "-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001",
                    "-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006");
        }
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(List<String> args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
