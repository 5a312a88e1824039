package meshlog.caserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.utils.ResponseProvider;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Kubernetes API server's TokenReview, on fabric8's mock server (no kube-apiserver can run here). It answers as
 * kube-apiserver does: an unknown token is not authenticated; a token whose audiences do not meet the requested
 * ones is not authenticated, with the API server's error text; otherwise the service account's user, its groups
 * and the audiences that matched. Callers must present the reviewer credential, as the API server demands
 * {@code system:auth-delegator} rights.
 */
final class FakeApiServer implements AutoCloseable {

    static final String REVIEWER_CREDENTIAL = "ca-reviewer-credential";
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Account(String namespace, String name, List<String> audiences) {
    }

    private final KubernetesMockServer server = new KubernetesMockServer(false);
    private final Map<String, Account> tokens = new ConcurrentHashMap<>();
    final AtomicInteger reviews = new AtomicInteger();

    FakeApiServer() {
        server.init();
        server.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews")
                .andReply(new ResponseProvider<Object>() {
                    private Headers headers = new Headers.Builder().add("Content-Type", "application/json").build();

                    @Override
                    public int getStatusCode(RecordedRequest request) {
                        return authorized(request) ? 201 : 401;
                    }

                    @Override
                    public Object getBody(RecordedRequest request) {
                        reviews.incrementAndGet();
                        return authorized(request) ? answer(request.getUtf8Body())
                                : "{\"kind\":\"Status\",\"code\":401}";
                    }

                    @Override
                    public Headers getHeaders() {
                        return headers;
                    }

                    @Override
                    public void setHeaders(Headers headers) {
                        this.headers = headers;
                    }
                }).always();
    }

    private static boolean authorized(RecordedRequest request) {
        return ("Bearer " + REVIEWER_CREDENTIAL).equals(request.getHeader("Authorization"));
    }

    /** A projected service-account token for {@code ns/name}, valid for {@code audiences}. */
    String token(String namespace, String name, String... audiences) {
        String token = "eyJhbGciOiJSUzI1NiJ9." + namespace + "." + name + "." + tokens.size();
        tokens.put(token, new Account(namespace, name, List.of(audiences)));
        return token;
    }

    URI url() {
        return URI.create(server.url("/"));
    }

    private String answer(String body) {
        try {
            return review(JSON.readTree(body).path("spec"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String review(JsonNode spec) throws java.io.IOException {
        ObjectNode review = JSON.createObjectNode().put("apiVersion", "authentication.k8s.io/v1")
                .put("kind", "TokenReview");
        ObjectNode status = review.putObject("status");
        Account account = tokens.get(spec.path("token").asText());
        if (account == null) {
            status.put("authenticated", false).put("error", "invalid bearer token");
            return review.toString();
        }
        List<String> requested = spec.path("audiences").isArray()
                ? JSON.convertValue(spec.path("audiences"), JSON.getTypeFactory()
                        .constructCollectionType(List.class, String.class)) : List.of();
        List<String> matched = requested.isEmpty() ? account.audiences()
                : requested.stream().filter(account.audiences()::contains).toList();
        if (matched.isEmpty()) {
            status.put("authenticated", false).put("error", "[invalid bearer token, token audiences "
                    + JSON.writeValueAsString(account.audiences()) + " is invalid for the target audiences "
                    + JSON.writeValueAsString(requested) + "]");
            return review.toString();
        }
        status.put("authenticated", true);
        ObjectNode user = status.putObject("user")
                .put("username", "system:serviceaccount:" + account.namespace() + ":" + account.name());
        user.putArray("groups").add("system:serviceaccounts").add("system:serviceaccounts:" + account.namespace())
                .add("system:authenticated");
        matched.forEach(status.putArray("audiences")::add);
        return review.toString();
    }

    @Override
    public void close() {
        server.destroy();
    }
}
