package meshlog.gatewayapi.validate;

import meshlog.gatewayapi.model.PeerAuthentication;

/** PeerAuthentication rules. Placeholder: none yet. */
final class PeerAuthenticationRules {

    private PeerAuthenticationRules() {
    }

    static void check(PeerAuthentication resource, Findings f) {
    }
}
