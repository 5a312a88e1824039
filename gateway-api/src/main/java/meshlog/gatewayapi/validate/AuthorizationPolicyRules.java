package meshlog.gatewayapi.validate;

import meshlog.gatewayapi.model.AuthorizationPolicy;

/** AuthorizationPolicy rules. Placeholder: none yet. */
final class AuthorizationPolicyRules {

    private AuthorizationPolicyRules() {
    }

    static void check(AuthorizationPolicy resource, Findings f) {
    }
}
