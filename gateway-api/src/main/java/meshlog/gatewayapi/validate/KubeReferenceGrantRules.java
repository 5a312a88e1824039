package meshlog.gatewayapi.validate;

import java.util.List;
import meshlog.gatewayapi.model.KubeReferenceGrant;
import meshlog.gatewayapi.model.KubeReferenceGrant.From;
import meshlog.gatewayapi.model.KubeReferenceGrant.To;

/** ReferenceGrant rules: the CRD's markers of {@code referencegrant_types.go}. */
final class KubeReferenceGrantRules {

    static final int MAX_ENTRIES = 16;

    private KubeReferenceGrantRules() {
    }

    static void check(KubeReferenceGrant grant, Findings f) {
        count(grant.from(), "spec.from", "RG0100", f);
        count(grant.to(), "spec.to", "RG0101", f);
        String own = grant.metadata().namespace();
        for (int i = 0; i < grant.from().size(); i++) {
            From from = grant.from().get(i);
            String path = "spec.from[" + i + "]";
            group(from.group(), path + ".group", "RG0102", f);
            f.errorIf("RG0102", path + ".kind", KubeValueChecks.kind(from.kind()));
            if (from.namespace() == null || from.namespace().isEmpty()) {
                f.error("RG0102", path + ".namespace", "namespace is required");
            } else {
                f.errorIf("RG0102", path + ".namespace", KubeValueChecks.namespace(from.namespace()));
                if (from.namespace().equals(own)) {
                    f.warning("RG0108", path + ".namespace", "references within namespace " + own + " need no"
                            + " ReferenceGrant; this entry has no effect");
                }
            }
        }
        for (int i = 0; i < grant.to().size(); i++) {
            To to = grant.to().get(i);
            String path = "spec.to[" + i + "]";
            group(to.group(), path + ".group", "RG0103", f);
            f.errorIf("RG0103", path + ".kind", KubeValueChecks.kind(to.kind()));
            if (to.name() != null) {
                f.errorIf("RG0103", path + ".name", KubeValueChecks.objectName(to.name()));
            }
        }
    }

    private static void count(List<?> entries, String path, String code, Findings f) {
        if (entries.isEmpty()) {
            f.error(code, path, "at least one entry is required");
        } else if (entries.size() > MAX_ENTRIES) {
            f.error(code, path, "at most " + MAX_ENTRIES + " entries, got " + entries.size());
        }
    }

    private static void group(String group, String path, String code, Findings f) {
        if (group == null) {
            f.error(code, path, "group is required (\"\" for the core group, as for Service and Secret)");
        } else {
            f.errorIf(code, path, KubeValueChecks.group(group));
        }
    }
}
