package meshlog.gatewayapi.parse;

import java.util.List;
import java.util.function.BiFunction;
import meshlog.gatewayapi.model.PolicyTarget;
import meshlog.gatewayapi.model.PolicyTarget.TargetRef;
import meshlog.gatewayapi.model.PolicyTarget.WorkloadSelector;
import meshlog.gatewayapi.parse.SourceNode.ListNode;
import meshlog.gatewayapi.parse.SourceNode.ScalarKind;
import meshlog.gatewayapi.parse.SourceNode.ScalarNode;

/** Reads what the security kinds share: {@code selector}, {@code targetRef} and {@code targetRefs}. */
final class PolicyTargetReader {

    private PolicyTargetReader() {
    }

    /** The {@code selector} field of {@code spec}; null when not given. */
    static WorkloadSelector selector(Fields spec) {
        Fields s = spec.object("selector");
        if (s == null) {
            return null;
        }
        WorkloadSelector selector = new WorkloadSelector(s.stringMap("matchLabels"));
        s.end();
        return selector;
    }

    /** {@code selector}, {@code targetRef} and {@code targetRefs} of {@code spec}. */
    static PolicyTarget target(Fields spec) {
        WorkloadSelector selector = selector(spec);
        TargetRef single = null;
        Fields ref = spec.object("targetRef");
        if (ref != null) {
            single = targetRef(ref);
            ref.end();
        }
        return new PolicyTarget(selector, single, spec.objects("targetRefs", (f, i) -> targetRef(f)));
    }

    private static TargetRef targetRef(Fields f) {
        return new TargetRef(f.string("group"), f.string("kind"), f.string("name"), f.string("namespace"));
    }

    /**
     * Like {@link Fields#objects}, but a null item ({@code - ~}) is reported with {@code code}: read as an empty
     * object it would mean "match everything", the opposite of what a half-deleted entry was meant to say.
     */
    static <T> List<T> objectsNoNull(Fields f, String key, String code, BiFunction<Fields, Integer, T> reader) {
        SourceNode n = f.has(key) ? f.raw(key) : null;
        List<SourceNode> raw = n instanceof ListNode l ? l.items() : List.of();
        return f.objects(key, (item, i) -> {
            if (raw.get(i) instanceof ScalarNode s && s.kind() == ScalarKind.NULL) {
                item.errorHere(code, "must not be null (a \"-\" with nothing after it); remove the item or fill "
                        + "it in");
            }
            return reader.apply(item, i);
        });
    }

    /** Reports {@code key} when it is given as an empty list: Istio refuses it rather than guess what was meant. */
    static void nonEmptyIfGiven(Fields f, String key, String code, String message) {
        if (f.has(key) && f.raw(key) instanceof ListNode l && l.items().isEmpty()) {
            f.error(code, key, message);
        }
    }
}
