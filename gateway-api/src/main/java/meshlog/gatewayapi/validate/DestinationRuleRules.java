package meshlog.gatewayapi.validate;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.model.DestinationRule;
import meshlog.gatewayapi.parse.ParsedResource;

/**
 * DestinationRule rules: Istio's ValidateDestinationRule and the CRD's rules (istio-facts §2.1 rules 32-39). The
 * traffic policy has its own rules ({@link TrafficPolicyRules}). What meshlog's reconciler does not apply is reported
 * by {@link AppliedFields} (ML0011).
 */
final class DestinationRuleRules {

    private DestinationRuleRules() {
    }

    static void check(ParsedResource p, DestinationRule dr, List<Diagnostic> out) {
        Findings f = new Findings(p, out);
        String namespace = dr.metadata().namespace();
        if (dr.host().isEmpty()) {
            f.error("DR0001", "spec.host", "host is required");
        } else {
            f.errorIf("DR0004", "spec.host", ServiceChecks.wildcardDomain(dr.host()));
        }
        if (dr.trafficPolicy() != null) {
            TrafficPolicyRules.check(dr.trafficPolicy(), "spec.trafficPolicy", namespace, f);
        }
        subsets(dr, namespace, f);
        exportTo(dr, namespace, f);
        if (dr.workloadSelector() != null) {
            WorkloadSelectors.check(dr.workloadSelector().matchLabels(), "spec.workloadSelector.matchLabels",
                    "DR0009", "DR0010", f);
        }
    }

    private static void subsets(DestinationRule dr, String namespace, Findings f) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < dr.subsets().size(); i++) {
            DestinationRule.Subset subset = dr.subsets().get(i);
            String path = "spec.subsets[" + i + "]";
            String name = subset.name();
            if (name.isEmpty()) {
                f.error("DR0002", path + ".name", "a subset needs a name");
            } else if (!names.add(name)) {
                f.error("DR0003", path + ".name", "subset \"" + name + "\" is defined twice");
            } else if (!ServiceChecks.isDnsLabel(name)) {
                f.error("DR0005", path + ".name", "subset name \"" + name + "\" is not a DNS-1123 label");
            }
            f.errorIf("DR0006", path + ".labels", Checks.labels(subset.labels()));
            if (subset.trafficPolicy() != null) {
                TrafficPolicyRules.check(subset.trafficPolicy(), path + ".trafficPolicy", namespace, f);
            }
        }
    }

    /** Istio's validateExportTo; a rule that selects workloads applies in its own namespace only. */
    private static void exportTo(DestinationRule dr, String namespace, Findings f) {
        if (dr.exportTo().isEmpty()) {
            return;
        }
        Object[] problem = Checks.exportTo(dr.exportTo(), namespace, false);
        if (problem != null) {
            f.error("DR0007", "spec.exportTo[" + problem[0] + "]", (String) problem[1]);
        }
        if (dr.workloadSelector() != null) {
            Set<String> targets = new HashSet<>();
            dr.exportTo().forEach(e -> targets.add(e.equals(".") ? namespace : e));
            if (!targets.contains(namespace)) {
                f.error("DR0008", "spec.exportTo", "a DestinationRule with a workloadSelector cannot be exported "
                        + "beyond its own namespace " + namespace);
            } else if (targets.size() > 1) {
                f.error("DR0008", "spec.exportTo", "a DestinationRule with a workloadSelector can be exported to "
                        + "its own namespace only, not to several");
            }
        }
    }
}
