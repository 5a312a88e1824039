package meshlog.injector;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import meshlog.ca.CertificateAuthority;
import meshlog.ca.ServingCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook as the API server calls it ({@link AdmissionClient}): HTTPS to 127.0.0.1, the certificate checked
 * against the mesh root for the injector Service's name, AdmissionReviews built with fabric8's model, and the
 * returned JSONPatch applied by fabric8's JSON Patch implementation.
 */
class WebhookServerTest {

    @TempDir
    static Path dir;
    static CertificateAuthority ca;
    static WebhookTls tls;
    static WebhookServer server;
    static AdmissionClient api;

    @BeforeAll
    static void start() throws Exception {
        ca = CertificateAuthority.open(dir.resolve("ca"), "cluster.local", Clock.systemUTC());
        tls = WebhookTls.fromCa(ca, "east", Clock.systemUTC());
        server = WebhookServer.start("127.0.0.1", 0, tls.context(), Pods.EAST);
        api = new AdmissionClient(server.port(), ca.trustBundlePem());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (tls != null) {
            tls.close();
        }
    }

    static AdmissionClient.Reply post(byte[] body) throws IOException {
        return api.post(body);
    }

    static byte[] review(String uid, Pod pod) {
        return AdmissionClient.review(uid, pod);
    }

    static Pod applied(Pod pod, AdmissionResponse r) {
        return AdmissionClient.applied(pod, r);
    }

    @Test
    void aPodOfAnEnabledNamespaceIsInjectedAndThePatchAppliesToAValidPod() throws IOException {
        Pod pod = Pods.productpage().build();
        AdmissionClient.Reply reply = post(review("3f7a-1", pod));
        assertThat(reply.status()).isEqualTo(200);
        AdmissionResponse r = reply.response();
        assertThat(r.getUid()).isEqualTo("3f7a-1");
        assertThat(r.getAllowed()).isTrue();
        Pod after = applied(pod, r);
        assertThat(after.getSpec().getContainers()).extracting(Container::getName)
                .containsExactly("productpage", "istio-proxy");
        assertThat(after.getSpec().getInitContainers()).singleElement().satisfies(init -> {
            assertThat(init.getName()).isEqualTo("istio-init");
            assertThat(init.getArgs()).containsExactly("iptables", "--include-outbound-ip-ranges=*",
                    "--exclude-outbound-ip-ranges=", "--exclude-outbound-ports=", "--include-inbound-ports=*",
                    "--exclude-inbound-ports=");
        });
        Container proxy = after.getSpec().getContainers().get(1);
        assertThat(proxy.getArgs()).startsWith("agent", "--envoy", "--cluster", "east");
        assertThat(proxy.getEnv()).extracting(EnvVar::getName).containsExactly("POD_NAME", "POD_NAMESPACE",
                "INSTANCE_IP", "SERVICE_ACCOUNT", "HOST_IP", "ISTIO_META_NODE_NAME", "ISTIO_META_CLUSTER_ID",
                "ISTIO_META_INTERCEPTION_MODE", "ISTIO_META_APP_CONTAINERS", "ISTIO_METAJSON_LABELS");
        assertThat(proxy.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(15021);
        assertThat(proxy.getResources().getRequests().get("cpu").toString()).isEqualTo("100m");
        assertThat(after.getSpec().getVolumes()).extracting(Volume::getName)
                .containsExactly("istio-envoy", "istio-data", "istio-podinfo", "istio-token", "istiod-ca-cert");
        assertThat(after.getSpec().getVolumes().get(3).getProjected().getSources().get(0).getServiceAccountToken()
                .getAudience()).isEqualTo("istio-ca");
        assertThat(after.getMetadata().getAnnotations()).containsKey("sidecar.istio.io/status");
        // The app's container is untouched.
        assertThat(after.getSpec().getContainers().get(0)).isEqualTo(pod.getSpec().getContainers().get(0));
    }

    @Test
    void anOptOutAnAlreadyInjectedPodAndAHostNetworkPodAreAllowedWithoutAPatch() throws IOException {
        Pod optedOut = Pods.withAnnotations(Map.of("sidecar.istio.io/inject", "false"));
        Pod injected = applied(Pods.productpage().build(), post(review("a", Pods.productpage().build())).response());
        Pod host = Pods.productpage().editSpec().withHostNetwork(true).endSpec().build();
        for (Pod pod : List.of(optedOut, injected, host)) {
            AdmissionResponse r = post(review("uid-" + pod.hashCode(), pod)).response();
            assertThat(r.getUid()).isEqualTo("uid-" + pod.hashCode());
            assertThat(r.getAllowed()).isTrue();
            assertThat(r.getPatch()).isNull();
            assertThat(r.getPatchType()).isNull();
        }
    }

    @Test
    void istioAnnotationsMeshlogDoesNotApplyComeBackAsWarnings() throws IOException {
        AdmissionResponse r = post(review("warn-1", Pods.withAnnotations(Map.of(
                "sidecar.istio.io/interceptionMode", "TPROXY", "proxy.istio.io/config", "{}",
                "sidecar.istio.io/proxyCPU", "200m", "prometheus.io/scrape", "true")))).response();
        assertThat(r.getAllowed()).isTrue();
        assertThat(r.getPatch()).isNotNull();
        assertThat(r.getWarnings()).containsExactly(
                "meshlog sidecar injection does not honour annotation proxy.istio.io/config; the sidecar is injected"
                        + " without it",
                "meshlog sidecar injection does not honour annotation sidecar.istio.io/interceptionMode; the sidecar"
                        + " is injected without it");
    }

    @Test
    void aPodWithAnAnnotationMeshlogCannotHonourIsRefusedWithTheReason() throws IOException {
        AdmissionResponse r = post(review("bad-1", Pods.withAnnotations(Map.of(
                "traffic.sidecar.istio.io/excludeOutboundPorts", "http")))).response();
        assertThat(r.getAllowed()).isFalse();
        assertThat(r.getStatus().getMessage()).isEqualTo("meshlog sidecar injection: annotation"
                + " traffic.sidecar.istio.io/excludeOutboundPorts: \"http\" is not a port (1-65535)");
    }

    @Test
    void malformedAndOversizedReviewsAreRefusedWith400AndTheServerKeepsServing() throws IOException {
        long before = server.counts().badRequests();
        AdmissionClient.Reply notJson = post("{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": ".getBytes(StandardCharsets.UTF_8));
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.body()).startsWith("the body is not JSON");
        AdmissionClient.Reply notReview = post("{\"kind\": \"Pod\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(notReview.status()).isEqualTo(400);
        assertThat(notReview.body()).startsWith("not an admission.k8s.io/v1 AdmissionReview");
        AdmissionClient.Reply noUid = post("{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"AdmissionReview\", \"request\": {}}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(noUid.status()).isEqualTo(400);
        assertThat(noUid.body()).isEqualTo("request.uid is missing\n");
        // 5 MiB of annotation: valid JSON, larger than any pod the API server admits.
        Pod huge = Pods.withAnnotations(Map.of("blob", "x".repeat(5 * 1024 * 1024)));
        AdmissionClient.Reply oversized = post(review("big", huge));
        assertThat(oversized.status()).isEqualTo(400);
        assertThat(oversized.body()).isEqualTo("the AdmissionReview is larger than 3145728 bytes\n");
        assertThat(server.counts().badRequests()).isEqualTo(before + 4);

        AdmissionResponse after = post(review("still-1", Pods.productpage().build())).response();
        assertThat(after.getUid()).isEqualTo("still-1");
        assertThat(after.getPatch()).isNotNull();
    }

    @Test
    void aCertificateFromFilesIsReloadedWhenTheFilesChangeAndKeptWhenTheyAreBroken() throws Exception {
        ServingCertificate first = ca.issueServing("east", WebhookTls.DNS_NAMES);
        Path certFile = Files.writeString(dir.resolve("reload.crt"), first.certificateChainPem());
        Path keyFile = Files.writeString(dir.resolve("reload.key"), first.privateKeyPem());
        try (WebhookTls files = WebhookTls.fromFiles(certFile, keyFile);
             WebhookServer other = WebhookServer.start("127.0.0.1", 0, files.context(), Pods.EAST)) {
            assertThat(served(other.port())).isEqualTo(serial(first));
            AdmissionResponse r = new AdmissionClient(other.port(), ca.trustBundlePem())
                    .post(review("files-1", Pods.productpage().build())).response();
            assertThat(r.getUid()).isEqualTo("files-1");
            assertThat(r.getPatch()).isNotNull();
            assertThat(files.reloadIfChanged()).isFalse();
            ServingCertificate second = ca.issueServing("east", WebhookTls.DNS_NAMES);
            Files.writeString(certFile, second.certificateChainPem());
            Files.writeString(keyFile, second.privateKeyPem());
            bumpModified(certFile);
            assertThat(files.reloadIfChanged()).isTrue();
            assertThat(served(other.port())).isEqualTo(serial(second));
            Files.writeString(certFile, "not a certificate");
            bumpModified(certFile);
            assertThat(files.reloadIfChanged()).isFalse();
            assertThat(served(other.port())).isEqualTo(serial(second));
        }
    }

    static void bumpModified(Path p) throws IOException {
        Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(p).toMillis() + 5000));
    }

    static java.math.BigInteger serial(ServingCertificate c) {
        return WebhookTls.certificates(c.certificateChainPem(), "test")[0].getSerialNumber();
    }

    /** The serial number of the leaf a TLS handshake to 127.0.0.1:port is shown, checked against the mesh root. */
    static java.math.BigInteger served(int port) throws Exception {
        javax.net.ssl.TrustManagerFactory f = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        java.security.KeyStore store = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("root", WebhookTls.certificates(ca.trustBundlePem(), "root")[0]);
        f.init(store);
        javax.net.ssl.SSLContext c = javax.net.ssl.SSLContext.getInstance("TLS");
        c.init(null, f.getTrustManagers(), null);
        try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) c.getSocketFactory().createSocket("127.0.0.1",
                port)) {
            s.setSoTimeout(5000);
            s.startHandshake();
            return ((java.security.cert.X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }
}
