package meshlog.injector;

import tools.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;

/**
 * Sidecar injection as one pure function: a pod's metadata and spec, its namespace's policy and the cluster's
 * settings in; either why it is left alone, or the {@link Sidecar} it gets. The webhook turns a planned sidecar into
 * a JSONPatch ({@link #patch}); kube-inject applies it to a workload's pod template ({@link TemplateMutation}).
 */
public final class Injector {

    /** What injection does with one pod. */
    public sealed interface Outcome permits Skipped, Planned {
    }

    /** Left alone, and why. */
    public record Skipped(String reason) implements Outcome {
    }

    /** Injected, and with what. */
    public record Planned(Sidecar sidecar, String reason) implements Outcome {
    }

    private Injector() {
    }

    /**
     * @param namespace the pod's namespace (the admission request's, kube-inject's document's or its default)
     * @throws InjectionException if the pod is selected but an annotation or a name in it cannot be honoured
     */
    public static Outcome plan(ObjectMeta meta, PodSpec spec, String namespace, Selection.NamespacePolicy policy,
                               InjectionSettings settings) {
        ObjectMeta m = meta == null ? new ObjectMeta() : meta;
        PodSpec s = spec == null ? new PodSpec() : spec;
        Selection.Decision d = Selection.decide(m, s, namespace, policy);
        if (!d.inject()) {
            return new Skipped(d.reason());
        }
        return new Planned(SidecarTemplate.build(m, s, settings), d.reason());
    }

    /** The JSONPatch (RFC 6902) that adds {@code sidecar} to the pod whose metadata and spec these are. */
    public static ArrayNode patch(ObjectMeta meta, PodSpec spec, Sidecar sidecar) {
        return PodPatch.of(meta == null ? new ObjectMeta() : meta, spec == null ? new PodSpec() : spec, sidecar);
    }
}
