package meshlog.gatewayapi.validate;

import meshlog.gatewayapi.model.WorkloadEntry;

/** WorkloadEntry rules (Istio's ValidateWorkloadEntry and the CRD's rules). */
final class WorkloadEntryRules {

    private WorkloadEntryRules() {
    }

    static void check(WorkloadEntry we, Findings f) {
        // Istio does not know which ServiceEntry selects the entry here, so its port names are not checked.
        EndpointRules.check(we.spec(), "spec", null, true, EndpointRules.WORKLOAD_ENTRY, f);
    }
}
