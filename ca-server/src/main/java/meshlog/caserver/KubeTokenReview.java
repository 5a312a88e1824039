package meshlog.caserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import meshlog.ca.WorkloadIdentity;

/**
 * TokenReview against one cluster's API server ({@code POST /apis/authentication.k8s.io/v1/tokenreviews} with
 * {@code spec.audiences: [istio-ca]}), read as Istio reads it ({@code security/pkg/k8s/tokenreview}): not
 * authenticated, an error, or a user outside {@code system:serviceaccounts} is refused; the identity comes from
 * the user name {@code system:serviceaccount:<ns>:<sa>}. One step stricter than Istio: when the API server
 * reports the audiences it checked, {@code istio-ca} must be among them.
 *
 * <p>The CA authenticates to the API server with the bearer token in {@code tokenFile} (re-read on each review,
 * as projected tokens rotate), which needs the {@code system:auth-delegator} role; {@code caFile} is the API
 * server's CA for https.
 */
final class KubeTokenReview implements TokenReviewer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** A TokenReview answer is well under this; a bigger one is not an API server's. */
    private static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private final String cluster;
    private final URI endpoint;
    private final Supplier<String> credential;
    private final HttpClient http;

    /**
     * @param server    the API server, e.g. {@code https://10.0.0.1:6443}
     * @param tokenFile null: no credential (an API server that lets anonymous callers review tokens, e.g. a test)
     * @param caFile    null: the JDK's trust store
     */
    KubeTokenReview(String cluster, URI server, Path tokenFile, Path caFile) {
        this.cluster = cluster;
        this.endpoint = server.resolve("/apis/authentication.k8s.io/v1/tokenreviews");
        this.credential = tokenFile == null ? () -> null : () -> read(tokenFile).strip();
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT);
        if (caFile != null) {
            builder.sslContext(trusting(caFile));
        }
        this.http = builder.build();
    }

    @Override
    public WorkloadIdentity review(String token) throws AuthenticationException {
        ObjectNode body = JSON.createObjectNode().put("apiVersion", "authentication.k8s.io/v1")
                .put("kind", "TokenReview");
        body.putObject("spec").put("token", token).putArray("audiences").add(AUDIENCE);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        String own = credential.get();
        if (own != null) {
            request.header("Authorization", "Bearer " + own);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AuthenticationException("TokenReview in cluster " + cluster + " failed: " + e.getClass()
                    .getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthenticationException("TokenReview in cluster " + cluster + " was interrupted");
        }
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new AuthenticationException("TokenReview in cluster " + cluster + " answered HTTP "
                    + response.statusCode());
        }
        if (response.body().length > MAX_RESPONSE_BYTES) {
            throw new AuthenticationException("TokenReview in cluster " + cluster + " answered more than "
                    + MAX_RESPONSE_BYTES + " bytes");
        }
        try {
            return identity(JSON.readTree(response.body()).path("status"));
        } catch (IOException e) {
            throw new AuthenticationException("TokenReview in cluster " + cluster + " answered no JSON");
        }
    }

    private WorkloadIdentity identity(JsonNode status) throws AuthenticationException {
        String prefix = "the service account token is refused by cluster " + cluster + ": ";
        if (!status.path("error").asText("").isEmpty()) {
            throw new AuthenticationException(prefix + cut(status.path("error").asText()));
        }
        if (!status.path("authenticated").asBoolean(false)) {
            throw new AuthenticationException(prefix + "not authenticated for audience " + AUDIENCE);
        }
        JsonNode audiences = status.path("audiences");
        if (audiences.isArray() && !audiences.isEmpty() && !contains(audiences, AUDIENCE)) {
            throw new AuthenticationException(prefix + "not valid for audience " + AUDIENCE);
        }
        JsonNode user = status.path("user");
        if (!contains(user.path("groups"), "system:serviceaccounts")) {
            throw new AuthenticationException(prefix + "not a service account");
        }
        String[] name = user.path("username").asText("").split(":", -1);
        if (name.length != 4 || !"system".equals(name[0]) || !"serviceaccount".equals(name[1])) {
            throw new AuthenticationException(prefix + "user name " + cut(user.path("username").asText())
                    + " is not system:serviceaccount:<namespace>:<name>");
        }
        try {
            return new WorkloadIdentity(name[2], name[3]);
        } catch (IllegalArgumentException e) {
            throw new AuthenticationException(prefix + cut(e.getMessage()));
        }
    }

    /** The API server's words, shortened; they reach the caller and (escaped there) the log. */
    private static String cut(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode item : array) {
            if (value.equals(item.asText())) {
                return true;
            }
        }
        return false;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the API server credential " + file, e);
        }
    }

    private static SSLContext trusting(Path caFile) {
        try (var in = Files.newInputStream(caFile)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, (X509Certificate) cert);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use " + caFile + " as the API server's CA: " + e.getMessage(),
                    e);
        }
    }
}
