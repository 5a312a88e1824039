package meshlog.gatewayapi.validate;

import meshlog.gatewayapi.model.WorkloadEntry;

/** WorkloadEntry rules. Placeholder: none yet. */
final class WorkloadEntryRules {

    private WorkloadEntryRules() {
    }

    static void check(WorkloadEntry resource, Findings f) {
    }
}
