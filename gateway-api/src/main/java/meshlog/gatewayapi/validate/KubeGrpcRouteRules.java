package meshlog.gatewayapi.validate;

import meshlog.gatewayapi.model.KubeGrpcRoute;

/** GRPCRoute rules. Placeholder: none yet. */
final class KubeGrpcRouteRules {

    private KubeGrpcRouteRules() {
    }

    static void check(KubeGrpcRoute resource, Findings f) {
    }
}
