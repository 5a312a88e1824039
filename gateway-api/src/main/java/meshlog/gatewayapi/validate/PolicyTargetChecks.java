package meshlog.gatewayapi.validate;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import meshlog.gatewayapi.model.PolicyTarget;
import meshlog.gatewayapi.model.PolicyTarget.TargetRef;
import meshlog.gatewayapi.model.PolicyTarget.WorkloadSelector;

/**
 * Checks of what the security kinds share (Istio's {@code validateWorkloadSelector},
 * {@code validateOneOfSelectorType}, {@code validatePolicyTargetReference} and the CRD's schema rules). Each kind
 * reports them under its own prefix: {@code <P>0001} .. {@code <P>0007}.
 */
final class PolicyTargetChecks {

    static final int MAX_LABELS = 4096;
    static final int MAX_TARGET_REFS = 16;
    private static final Pattern GROUP =
            Pattern.compile("^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    private static final Pattern KIND = Pattern.compile("^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$");
    /** Group (empty = core) and kind of what a policy may target. */
    private static final List<String[]> TARGET_KINDS = List.of(
            new String[] {"core", "Service"},
            new String[] {"networking.istio.io", "ServiceEntry"},
            new String[] {"gateway.networking.k8s.io", "Gateway"},
            new String[] {"gateway.networking.k8s.io", "GatewayClass"});

    private PolicyTargetChecks() {
    }

    /** {@code spec.selector}: labels without wildcards (code 0001); a selector with no labels (0002, warning). */
    static void selector(String prefix, WorkloadSelector selector, Findings f) {
        if (selector == null) {
            return;
        }
        String path = "spec.selector.matchLabels";
        if (selector.matchLabels().isEmpty()) {
            f.warning(prefix + "0002", "spec.selector", "workload selector specified without labels: the policy "
                    + "applies to every workload of the namespace, as if no selector were given");
            return;
        }
        if (selector.matchLabels().size() > MAX_LABELS) {
            f.error(prefix + "0001", path, "at most " + MAX_LABELS + " labels, got " + selector.matchLabels().size());
        }
        for (Map.Entry<String, String> e : selector.matchLabels().entrySet()) {
            String at = e.getKey().isEmpty() ? path : path + "." + e.getKey();
            if (e.getKey().isEmpty()) {
                f.error(prefix + "0001", at, "empty key is not supported in selector");
            } else if (e.getKey().contains("*")) {
                f.error(prefix + "0001", at, "wildcard not allowed in label key match: \"" + e.getKey() + "\"");
            }
            if (e.getValue().contains("*")) {
                f.error(prefix + "0001", at, "wildcard not allowed in label value match: \"" + e.getValue() + "\"");
            } else if (e.getValue().length() > 63) {
                f.error(prefix + "0001", at, "label value is longer than 63 characters");
            }
        }
    }

    /** selector, targetRef and targetRefs of an AuthorizationPolicy or RequestAuthentication. */
    static void target(String prefix, PolicyTarget t, Findings f) {
        int given = (t.selector() != null ? 1 : 0) + (t.targetRef() != null ? 1 : 0)
                + (t.targetRefs().isEmpty() ? 0 : 1);
        if (given > 1) {
            f.error(prefix + "0003", "spec", "only one of selector, targetRef or targetRefs can be set");
        }
        selector(prefix, t.selector(), f);
        if (t.targetRef() != null) {
            targetRef(prefix, t.targetRef(), "spec.targetRef", f);
        }
        if (t.targetRefs().size() > MAX_TARGET_REFS) {
            f.error(prefix + "0007", "spec.targetRefs", "at most " + MAX_TARGET_REFS + " targetRefs, got "
                    + t.targetRefs().size());
        }
        for (int i = 0; i < t.targetRefs().size(); i++) {
            targetRef(prefix, t.targetRefs().get(i), "spec.targetRefs[" + i + "]", f);
        }
    }

    private static void targetRef(String prefix, TargetRef ref, String path, Findings f) {
        String bad = prefix + "0004";
        boolean shapeOk = true;
        if (ref.name().isEmpty()) {
            f.error(bad, path + ".name", "Required value: the name of the target is required");
        } else if (ref.name().length() > 253) {
            f.error(bad, path + ".name", "must be at most 253 characters");
        }
        if (ref.group().length() > 253 || !GROUP.matcher(ref.group()).matches()) {
            f.error(bad, path + ".group", "should match a DNS subdomain (or be empty for the core group), got \""
                    + ref.group() + "\"");
            shapeOk = false;
        }
        if (ref.kind().isEmpty()) {
            f.error(bad, path + ".kind", "Required value: the kind of the target is required");
            shapeOk = false;
        } else if (ref.kind().length() > 63 || !KIND.matcher(ref.kind()).matches()) {
            f.error(bad, path + ".kind", "should match ^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$ (at most 63 "
                    + "characters), got \"" + ref.kind() + "\"");
            shapeOk = false;
        }
        if (!ref.namespace().isEmpty()) {
            f.error(prefix + "0005", path + ".namespace",
                    "cross namespace referencing is not currently supported; leave namespace out");
        }
        if (shapeOk && !supported(ref)) {
            f.error(prefix + "0006", path + ".kind", "targetRef must be to a core Service, a networking.istio.io "
                    + "ServiceEntry, or a gateway.networking.k8s.io Gateway or GatewayClass, but was \""
                    + ref.group() + "/" + ref.kind() + "\"");
        }
    }

    private static boolean supported(TargetRef ref) {
        String group = ref.group().isEmpty() ? "core" : ref.group();
        return TARGET_KINDS.stream().anyMatch(k -> k[0].equals(group) && k[1].equals(ref.kind()));
    }
}
