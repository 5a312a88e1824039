package meshlog.gatewayapi.validate;

import meshlog.gatewayapi.model.KubeGateway;

/** Gateway rules. Placeholder: none yet. */
final class KubeGatewayRules {

    private KubeGatewayRules() {
    }

    static void check(KubeGateway resource, Findings f) {
    }
}
