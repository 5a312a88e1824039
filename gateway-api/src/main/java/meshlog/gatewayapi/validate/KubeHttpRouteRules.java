package meshlog.gatewayapi.validate;

import meshlog.gatewayapi.model.KubeHttpRoute;

/** HTTPRoute rules. Placeholder: none yet. */
final class KubeHttpRouteRules {

    private KubeHttpRouteRules() {
    }

    static void check(KubeHttpRoute resource, Findings f) {
    }
}
