package meshlog.gatewayapi.validate;

import meshlog.gatewayapi.model.Gateway;

/** Gateway rules. Placeholder: none yet. */
final class GatewayRules {

    private GatewayRules() {
    }

    static void check(Gateway resource, Findings f) {
    }
}
