package meshlog.injector;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import meshlog.configstore.LogSafe;

/**
 * {@code admission.k8s.io/v1} AdmissionReview in, AdmissionReview out, as bytes: the decision is
 * {@link Injector}'s. A review that is not one (not JSON, no {@code request.uid}) is a {@link BadReview}, answered
 * 400 by the server; a review of a pod that cannot be injected is answered {@code allowed: false} with the reason,
 * which the API server shows the user creating the pod (with failurePolicy Fail that pod is not created).
 */
final class AdmissionReviews {

    static final String API_VERSION = "admission.k8s.io/v1";
    private static final tools.jackson.databind.ObjectMapper JSON = KubeJson.JSON;

    /** Not an AdmissionReview: the message says what is wrong, without echoing the body. */
    static final class BadReview extends Exception {
        BadReview(String message) {
            super(message);
        }
    }

    /** The answer and what happened, for the log line and the counters. */
    record Answer(byte[] body, String uid, String pod, Verdict verdict, String reason) {
    }

    enum Verdict { INJECTED, SKIPPED, REFUSED }

    private AdmissionReviews() {
    }

    /**
     * The namespace's policy is {@link Selection.NamespacePolicy#ENABLED}: the API server only calls for pods the
     * webhook configuration's namespaceSelector and objectSelector matched (AdmissionReview carries no namespace
     * labels), so what is left to decide here is the pod's own opt-out, host network and earlier injection.
     */
    static Answer answer(byte[] body, InjectionSettings settings) throws BadReview {
        JsonNode review;
        try {
            review = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new BadReview("the body is not JSON: " + LogSafe.value(e.getOriginalMessage(), 200));
        }
        if (review == null || !review.isObject()) {
            throw new BadReview("the body is not a JSON object");
        }
        if (!API_VERSION.equals(review.path("apiVersion").asString()) || !"AdmissionReview".equals(
                review.path("kind").asString())) {
            throw new BadReview("not an " + API_VERSION + " AdmissionReview (apiVersion \""
                    + LogSafe.value(review.path("apiVersion").asString(), 60) + "\", kind \""
                    + LogSafe.value(review.path("kind").asString(), 60) + "\")");
        }
        JsonNode request = review.path("request");
        String uid = request.path("uid").asString("");
        if (uid.isEmpty()) {
            throw new BadReview("request.uid is missing");
        }
        JsonNode object = request.path("object");
        String kind = request.path("kind").path("kind").asString(object.path("kind").asString(""));
        if (!"Pod".equals(kind) || !object.isObject()) {
            return respond(uid, "-", Verdict.SKIPPED, "not a Pod (kind \"" + LogSafe.value(kind, 60) + "\")", null);
        }
        Pod pod;
        try {
            pod = JSON.treeToValue(object, Pod.class);
        } catch (JacksonException e) {
            return respond(uid, "-", Verdict.REFUSED, "request.object is not a valid Pod: "
                    + LogSafe.value(e.getOriginalMessage(), 200), null);
        }
        String namespace = request.path("namespace").asString(pod.getMetadata() == null ? ""
                : String.valueOf(pod.getMetadata().getNamespace()));
        String name = namespace + "/" + podName(pod, request);
        try {
            Injector.Outcome o = Injector.plan(pod.getMetadata(), pod.getSpec(), namespace,
                    Selection.NamespacePolicy.ENABLED, settings);
            if (o instanceof Injector.Skipped s) {
                return respond(uid, name, Verdict.SKIPPED, s.reason(), null);
            } else if (o instanceof Injector.Planned p) {
                return respond(uid, name, Verdict.INJECTED, p.reason(),
                        Injector.patch(pod.getMetadata(), pod.getSpec(), p.sidecar()), p.sidecar().warnings());
            } else {
                throw new AssertionError(o);
            }
        } catch (InjectionException e) {
            return respond(uid, name, Verdict.REFUSED, "meshlog sidecar injection: " + e.getMessage(), null);
        }
    }

    /** A pod created by a controller has no name yet, only generateName. */
    private static String podName(Pod pod, JsonNode request) {
        if (pod.getMetadata() != null && pod.getMetadata().getName() != null) {
            return pod.getMetadata().getName();
        }
        if (pod.getMetadata() != null && pod.getMetadata().getGenerateName() != null) {
            return pod.getMetadata().getGenerateName() + "*";
        }
        return request.path("name").asString("?");
    }

    private static Answer respond(String uid, String pod, Verdict verdict, String reason, ArrayNode patch) {
        return respond(uid, pod, verdict, reason, patch, java.util.List.of());
    }

    private static Answer respond(String uid, String pod, Verdict verdict, String reason, ArrayNode patch,
                                  java.util.List<String> warnings) {
        ObjectNode out = JSON.createObjectNode().put("apiVersion", API_VERSION).put("kind", "AdmissionReview");
        ObjectNode response = out.putObject("response").put("uid", uid).put("allowed", verdict != Verdict.REFUSED);
        if (!warnings.isEmpty()) {
            warnings.forEach(response.putArray("warnings")::add);
        }
        if (patch != null) {
            response.put("patchType", "JSONPatch").put("patch", Base64.getEncoder()
                    .encodeToString(patch.toString().getBytes(StandardCharsets.UTF_8)));
        }
        if (verdict == Verdict.REFUSED) {
            response.putObject("status").put("code", 400).put("message", reason);
        }
        // A controller's pods show their warnings to no one: the log line carries them too.
        String logged = warnings.isEmpty() ? reason : reason + "; " + String.join("; ", warnings);
        return new Answer(out.toString().getBytes(StandardCharsets.UTF_8), uid, pod, verdict, logged);
    }
}
