package meshlog.gatewayapi.validate;

import java.util.Map;

/** Istio's workload selector rules, shared by the DestinationRule and ServiceEntry rules. */
final class WorkloadSelectors {

    private WorkloadSelectors() {
    }

    /**
     * No empty key, no {@code *} in a key or value, values at most 63 characters (the CRD's rules); a selector
     * without labels selects every workload in the namespace, which is most likely a mistake (a warning).
     */
    static void check(Map<String, String> labels, String path, String badLabel, String noLabels, Findings f) {
        for (var e : labels.entrySet()) {
            String at = path + "." + e.getKey();
            String pair = "\"" + e.getKey() + "=" + e.getValue() + "\"";
            if (e.getKey().isEmpty()) {
                f.error(badLabel, path, "empty key is not supported in selector: " + pair);
            } else if (e.getKey().contains("*") || e.getValue().contains("*")) {
                f.error(badLabel, at, "wildcard is not supported in selector: " + pair);
            } else if (e.getValue().length() > 63) {
                f.error(badLabel, at, "a selector value may have at most 63 characters, got "
                        + e.getValue().length());
            }
        }
        if (labels.isEmpty()) {
            f.warning(noLabels, path, "workload selector without labels: it selects every workload in the "
                    + "namespace");
        }
    }
}
