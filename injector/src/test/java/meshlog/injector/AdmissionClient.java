package meshlog.injector;

import io.fabric8.kubernetes.api.model.GroupVersionKindBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The webhook's caller as the API server is: AdmissionReviews of fabric8 Pods POSTed over HTTPS, the certificate
 * checked against the mesh root for the injector Service's name, the JSONPatch applied with fabric8's JSON Patch.
 * (Test-jar: ops' tests call the webhook of {@code meshlog injector} the same way.)
 */
public final class AdmissionClient {

    public static final String SERVICE_NAME = "meshlog-injector.meshlog-system.svc";

    /** A status and body; {@link #response()} reads an AdmissionReview's. */
    public record Reply(int status, String body) {
        public AdmissionResponse response() {
            return KubeJson.JSON.readValue(body, AdmissionReview.class).getResponse();
        }
    }

    private final int port;
    private final SSLContext trust;

    public AdmissionClient(int port, String rootPem) {
        this.port = port;
        this.trust = trusting(rootPem);
    }

    /** An {@code admission.k8s.io/v1} review of creating {@code pod} in namespace shop. */
    public static byte[] review(String uid, Pod pod) {
        AdmissionReview r = new AdmissionReviewBuilder().withApiVersion("admission.k8s.io/v1")
                .withKind("AdmissionReview").withNewRequest().withUid(uid)
                .withKind(new GroupVersionKindBuilder().withGroup("").withVersion("v1").withKind("Pod").build())
                .withNamespace("shop").withOperation("CREATE").withObject(pod).endRequest().build();
        return KubeJson.JSON.writeValueAsBytes(r);
    }

    /** {@code pod} with the response's patch applied, parsed back as a Pod. */
    public static Pod applied(Pod pod, AdmissionResponse r) {
        if (!"JSONPatch".equals(r.getPatchType())) {
            throw new AssertionError("patchType " + r.getPatchType());
        }
        JsonNode patch = KubeJson.JSON.readTree(Base64.getDecoder().decode(r.getPatch()));
        return KubeJson.JSON.treeToValue(JsonPatch.apply(patch, KubeJson.JSON.valueToTree(pod)), Pod.class);
    }

    public Reply post(byte[] body) throws IOException {
        HttpsURLConnection c = (HttpsURLConnection) new URL("https://127.0.0.1:" + port + WebhookServer.PATH)
                .openConnection();
        c.setSSLSocketFactory(trust.getSocketFactory());
        c.setHostnameVerifier((host, session) -> {
            try {
                return ((X509Certificate) session.getPeerCertificates()[0]).getSubjectAlternativeNames().stream()
                        .anyMatch(n -> SERVICE_NAME.equals(n.get(1)));
            } catch (Exception e) {
                return false;
            }
        });
        c.setConnectTimeout(5000);
        c.setReadTimeout(10000);
        c.setDoOutput(true);
        c.setRequestMethod("POST");
        c.setRequestProperty("Content-Type", "application/json");
        c.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = c.getOutputStream()) {
            out.write(body);
        }
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            return new Reply(status, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            c.disconnect();
        }
    }

    private static SSLContext trusting(String rootPem) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("root", CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(rootPem.getBytes(StandardCharsets.US_ASCII))));
            TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
            f.init(store);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, f.getTrustManagers(), null);
            return c;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
