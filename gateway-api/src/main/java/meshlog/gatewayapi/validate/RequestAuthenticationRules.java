package meshlog.gatewayapi.validate;

import meshlog.gatewayapi.model.RequestAuthentication;

/** RequestAuthentication rules. Placeholder: none yet. */
final class RequestAuthenticationRules {

    private RequestAuthenticationRules() {
    }

    static void check(RequestAuthentication resource, Findings f) {
    }
}
