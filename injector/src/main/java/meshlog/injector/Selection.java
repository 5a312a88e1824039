package meshlog.injector;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Whether a pod gets a sidecar, as Istio decides it: host-network pods and pods already injected never; the pod's
 * {@code sidecar.istio.io/inject} label (or, without it, annotation) {@code "true"} or {@code "false"} wins over the
 * namespace; otherwise the namespace's {@code istio-injection=enabled} (or an {@code istio.io/rev} label) decides.
 * A namespace labelled {@code istio-injection} with any other value (Istio's {@code disabled}) injects nothing, as
 * Istio's webhook selectors exclude it entirely.
 */
public final class Selection {

    public static final String INJECT = "sidecar.istio.io/inject";
    public static final String STATUS = "sidecar.istio.io/status";
    public static final String NAMESPACE_LABEL = "istio-injection";
    public static final String REVISION_LABEL = "istio.io/rev";
    public static final String PROXY_CONTAINER = "istio-proxy";
    /** Istio never injects these, whatever their labels say. */
    static final Set<String> IGNORED_NAMESPACES = Set.of("kube-system", "kube-public");

    /** What a namespace's labels say about its pods. */
    public enum NamespacePolicy {
        /** {@code istio-injection=enabled} or {@code istio.io/rev}: inject unless the pod opts out. */
        ENABLED,
        /** {@code istio-injection} with another value: inject nothing, not even opted-in pods. */
        DISABLED,
        /** Neither label: inject pods that opt in. */
        UNLABELLED;

        public static NamespacePolicy of(Map<String, String> labels) {
            Map<String, String> l = labels == null ? Map.of() : labels;
            if (l.containsKey(NAMESPACE_LABEL)) {
                return "enabled".equals(l.get(NAMESPACE_LABEL)) ? ENABLED : DISABLED;
            }
            return l.containsKey(REVISION_LABEL) ? ENABLED : UNLABELLED;
        }
    }

    /** The verdict and, for a log line or a kube-inject note, why. */
    public record Decision(boolean inject, String reason) {
    }

    private Selection() {
    }

    public static Decision decide(ObjectMeta meta, PodSpec spec, String namespace, NamespacePolicy policy) {
        if (Boolean.TRUE.equals(spec.getHostNetwork())) {
            return new Decision(false, "hostNetwork pod: its traffic is the node's, a sidecar cannot capture it");
        }
        if (namespace != null && IGNORED_NAMESPACES.contains(namespace)) {
            return new Decision(false, "namespace " + namespace + " is never injected");
        }
        if (alreadyInjected(meta, spec)) {
            return new Decision(false, "already injected (" + STATUS + " or an " + PROXY_CONTAINER + " container)");
        }
        if (policy == NamespacePolicy.DISABLED) {
            return new Decision(false, "namespace label " + NAMESPACE_LABEL + " is not \"enabled\"");
        }
        Boolean asked = podChoice(meta);
        if (asked != null) {
            return new Decision(asked, INJECT + "=" + asked + " on the pod");
        }
        return policy == NamespacePolicy.ENABLED
                ? new Decision(true, "namespace enabled for injection")
                : new Decision(false, "namespace not labelled " + NAMESPACE_LABEL + "=enabled and the pod has no "
                        + INJECT + "=true");
    }

    static boolean alreadyInjected(ObjectMeta meta, PodSpec spec) {
        if (meta.getAnnotations() != null && meta.getAnnotations().containsKey(STATUS)) {
            return true;
        }
        return spec.getContainers() != null
                && spec.getContainers().stream().anyMatch(c -> PROXY_CONTAINER.equals(c.getName()));
    }

    /**
     * The pod's own choice: the label first (the webhook's objectSelector reads labels only), then the annotation;
     * Istio's spellings of yes and no. Null: no choice, or a value that is neither, which leaves the choice to the
     * namespace.
     */
    static Boolean podChoice(ObjectMeta meta) {
        String v = meta.getLabels() == null ? null : meta.getLabels().get(INJECT);
        if (v == null && meta.getAnnotations() != null) {
            v = meta.getAnnotations().get(INJECT);
        }
        if (v == null) {
            return null;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "y", "yes", "true", "on" -> Boolean.TRUE;
            case "n", "no", "false", "off" -> Boolean.FALSE;
            default -> null;
        };
    }
}
