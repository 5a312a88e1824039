package meshlog.gatewayapi.validate;

import meshlog.gatewayapi.model.AuthorizationPolicy;

/** Istio allows the dry-run annotation only on ALLOW and DENY policies. */
final class DryRunActions {

    private DryRunActions() {
    }

    static void check(AuthorizationPolicy policy, String path, Findings f) {
        // filled in when AuthorizationPolicy's action is modelled
    }
}
