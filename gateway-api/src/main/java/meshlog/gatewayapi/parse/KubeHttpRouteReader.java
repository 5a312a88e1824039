package meshlog.gatewayapi.parse;

import meshlog.gatewayapi.model.KubeHttpRoute;
import meshlog.gatewayapi.model.ObjectMeta;

/** Reads {@code HTTPRoute.spec}. Placeholder: every field is accepted unread. */
final class KubeHttpRouteReader {

    private KubeHttpRouteReader() {
    }

    static KubeHttpRoute read(ObjectMeta meta, Fields spec) {
        spec.keys().forEach(spec::raw);
        return new KubeHttpRoute(meta);
    }
}
