package meshlog.gatewayapi.validate;

import meshlog.gatewayapi.model.KubeReferenceGrant;

/** ReferenceGrant rules. Placeholder: none yet. */
final class KubeReferenceGrantRules {

    private KubeReferenceGrantRules() {
    }

    static void check(KubeReferenceGrant resource, Findings f) {
    }
}
