package meshlog.gatewayapi.parse;

import meshlog.gatewayapi.model.KubeGrpcRoute;
import meshlog.gatewayapi.model.ObjectMeta;

/** Reads {@code GRPCRoute.spec}. Placeholder: every field is accepted unread. */
final class KubeGrpcRouteReader {

    private KubeGrpcRouteReader() {
    }

    static KubeGrpcRoute read(ObjectMeta meta, Fields spec) {
        spec.keys().forEach(spec::raw);
        return new KubeGrpcRoute(meta);
    }
}
