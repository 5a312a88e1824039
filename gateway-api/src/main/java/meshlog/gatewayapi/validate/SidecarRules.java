package meshlog.gatewayapi.validate;

import meshlog.gatewayapi.model.Sidecar;

/** Sidecar rules. Placeholder: none yet. */
final class SidecarRules {

    private SidecarRules() {
    }

    static void check(Sidecar resource, Findings f) {
    }
}
