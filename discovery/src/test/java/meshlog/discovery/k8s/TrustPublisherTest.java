package meshlog.discovery.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import meshlog.ca.CertificateAuthority;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trust publisher against fabric8's mock API server (CRUD mode: no kube-apiserver can run here), with mesh
 * roots made by meshlog's own CA: what a user would see with {@code kubectl get configmap istio-ca-root-cert} and
 * in the webhook configuration's caBundle.
 */
class TrustPublisherTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String WEBHOOK = "meshlog-sidecar-injector";

    @TempDir
    Path dir;
    private MockCluster cluster;
    private KubernetesClient kube;
    private TrustPublisher publisher;
    private Path rootFile;

    @BeforeEach
    void cluster() throws IOException {
        cluster = new MockCluster(dir, "east");
        kube = cluster.kube();
        for (String ns : List.of("default", "kube-system", "kube-public", "shop")) {
            kube.namespaces().resource(KubeObjects.namespace(ns, Map.of())).create();
        }
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("leaving").endMetadata()
                .withNewStatus().withPhase("Terminating").endStatus().build()).create();
        // A user's stale copy, with a key of their own beside the root.
        kube.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("istio-ca-root-cert").endMetadata()
                .withData(Map.of("root-cert.pem", "stale", "extra", "kept")).build()).create();
        kube.admissionRegistration().v1().mutatingWebhookConfigurations().resource(webhookConfig("")).create();
        rootFile = root("ca-one");
    }

    @AfterEach
    void stop() {
        if (publisher != null) {
            publisher.close();
        }
        cluster.close();
    }

    @Test
    void everyNamespaceButTheHousekeepingOnesGetsTheRootAndTheWebhookItsCaBundle() throws IOException {
        String root = Files.readString(rootFile);
        publisher = start(rootFile);

        await().atMost(WAIT).until(() -> rootIn("default").equals(root) && rootIn("kube-system").equals(root)
                && rootIn("shop").equals(root));
        ConfigMap shop = configMap("shop");
        assertThat(shop.getData()).containsEntry("extra", "kept");
        assertThat(shop.getMetadata().getLabels()).containsEntry("istio.io/config", "true");
        assertThat(configMap("default").getMetadata().getLabels()).containsEntry("istio.io/config", "true");
        assertThat(configMap("kube-public")).isNull();
        assertThat(configMap("leaving")).isNull();
        String bundle = Base64.getEncoder().encodeToString(root.getBytes(StandardCharsets.UTF_8));
        await().atMost(WAIT).until(() -> caBundles().equals(List.of(bundle, bundle, bundle)));
        assertThat(publisher.counts().configMapsCreated()).isEqualTo(2);
        assertThat(publisher.counts().configMapsUpdated()).isEqualTo(1);
        assertThat(publisher.counts().webhookPatches()).isEqualTo(1);

        // Deleted, a new namespace, the manifest applied again: each is put right.
        kube.configMaps().inNamespace("default").withName("istio-ca-root-cert").delete();
        kube.namespaces().resource(KubeObjects.namespace("billing", Map.of())).create();
        kube.admissionRegistration().v1().mutatingWebhookConfigurations().withName(WEBHOOK)
                .edit(c -> webhookConfig(""));
        await().atMost(WAIT).until(() -> root.equals(rootIn("default")) && root.equals(rootIn("billing"))
                && caBundles().equals(List.of(bundle, bundle, bundle)));
        assertThat(publisher.counts().webhookPatches()).isEqualTo(2);
    }

    @Test
    void aRotatedRootReachesEveryNamespaceAndABadFileIsRefused() throws IOException {
        String first = Files.readString(rootFile);
        publisher = start(rootFile);
        await().atMost(WAIT).until(() -> first.equals(rootIn("default")) && first.equals(rootIn("shop")));

        String second = Files.readString(root("ca-two"));
        assertThat(second).isNotEqualTo(first);
        replace(rootFile, second);
        await().atMost(WAIT).until(() -> second.equals(rootIn("default")) && second.equals(rootIn("shop"))
                && second.equals(rootIn("kube-system")));
        String bundle = Base64.getEncoder().encodeToString(second.getBytes(StandardCharsets.UTF_8));
        await().atMost(WAIT).until(() -> caBundles().equals(List.of(bundle, bundle, bundle)));

        replace(rootFile, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
        await().atMost(WAIT).until(() -> publisher.counts().lastError() != null);
        assertThat(publisher.counts().lastError()).startsWith("root certificate " + rootFile + ": not X.509");
        kube.configMaps().inNamespace("shop").withName("istio-ca-root-cert").delete();
        await().atMost(WAIT).until(() -> second.equals(rootIn("shop"))); // the last good root, not the bad file
    }

    @Test
    void aFileWithoutCertificatesStopsStartUpNamingIt() throws IOException {
        Path key = dir.resolve("root-key.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> start(key)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("root certificate " + key + ": no PEM CERTIFICATE block");
        assertThat(configMap("default")).isNull();
    }

    @Test
    void withoutAWebhookNameOnlyTheConfigMapsAreKept() throws IOException {
        String root = Files.readString(rootFile);
        publisher = TrustPublisher.start(new TrustPublisher.Options("east", cluster.kubeconfig(), rootFile, ""),
                Clock.systemUTC());
        await().atMost(WAIT).until(() -> root.equals(rootIn("default")));
        assertThat(caBundles()).isEqualTo(List.of("", "", ""));
        assertThat(publisher.counts().webhookPatches()).isZero();
    }

    private TrustPublisher start(Path root) {
        return TrustPublisher.start(new TrustPublisher.Options("east", cluster.kubeconfig(), root, WEBHOOK),
                Clock.systemUTC());
    }

    /** A mesh root as meshlog's CA writes it (root-cert.pem of its directory). */
    private Path root(String name) {
        Path caDir = dir.resolve(name);
        CertificateAuthority.open(caDir, "cluster.local", Clock.systemUTC());
        return caDir.resolve("root-cert.pem");
    }

    /** As a Secret volume changes a file: a new file moved over the old one. */
    private void replace(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private ConfigMap configMap(String ns) {
        return kube.configMaps().inNamespace(ns).withName("istio-ca-root-cert").get();
    }

    private String rootIn(String ns) {
        ConfigMap cm = configMap(ns);
        return cm == null || cm.getData() == null ? "" : cm.getData().getOrDefault("root-cert.pem", "");
    }

    private List<String> caBundles() {
        MutatingWebhookConfiguration c = kube.admissionRegistration().v1().mutatingWebhookConfigurations()
                .withName(WEBHOOK).get();
        return c.getWebhooks().stream().map(w -> w.getClientConfig().getCaBundle()).map(b -> b == null ? "" : b)
                .toList();
    }

    private static MutatingWebhookConfiguration webhookConfig(String caBundle) {
        return new MutatingWebhookConfigurationBuilder().withNewMetadata().withName(WEBHOOK).endMetadata()
                .withWebhooks(webhook("rev.namespace.sidecar-injector.meshlog.dev", caBundle),
                        webhook("namespace.sidecar-injector.meshlog.dev", caBundle),
                        webhook("object.sidecar-injector.meshlog.dev", caBundle))
                .build();
    }

    private static MutatingWebhook webhook(String name, String caBundle) {
        return new MutatingWebhookBuilder().withName(name).withNewClientConfig().withCaBundle(caBundle)
                .withNewService().withName("meshlog-injector").withNamespace("meshlog-system").withPath("/inject")
                .withPort(443).endService().endClientConfig().withAdmissionReviewVersions("v1")
                .withSideEffects("None").build();
    }
}
