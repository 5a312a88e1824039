package meshlog.gatewayapi.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The workloads an AuthorizationPolicy or RequestAuthentication applies to: a label {@code selector}, one
 * {@code targetRef} or a list of {@code targetRefs} (Istio's {@code type/v1beta1/selector.proto}). Istio allows at
 * most one of the three; none means every workload of the namespace (of the mesh, in the root namespace).
 *
 * @param selector null when not given
 * @param targetRef null when not given
 */
public record PolicyTarget(WorkloadSelector selector, TargetRef targetRef, List<TargetRef> targetRefs) {

    /** Istio {@code WorkloadSelector}: pods or VMs carrying all of {@code matchLabels}. */
    public record WorkloadSelector(Map<String, String> matchLabels) {
        public WorkloadSelector {
            matchLabels = Collections.unmodifiableMap(new TreeMap<>(matchLabels));
        }
    }

    /**
     * Istio {@code PolicyTargetReference} (Gateway API GEP-2648): an object in the policy's own namespace.
     * Absent strings are empty; an empty {@code group} is the core group.
     */
    public record TargetRef(String group, String kind, String name, String namespace) {
        public TargetRef {
            group = group == null ? "" : group;
            kind = kind == null ? "" : kind;
            name = name == null ? "" : name;
            namespace = namespace == null ? "" : namespace;
        }
    }

    public PolicyTarget {
        targetRefs = List.copyOf(targetRefs);
    }

    /** Neither a selector nor a target reference: the policy applies to the whole namespace. */
    public boolean namespaceWide() {
        return selector == null && targetRef == null && targetRefs.isEmpty();
    }
}
