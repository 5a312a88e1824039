package meshlog.gatewayapi.parse;

import meshlog.gatewayapi.model.KubeGateway;
import meshlog.gatewayapi.model.ObjectMeta;

/** Reads {@code Gateway.spec}. Placeholder: every field is accepted unread. */
final class KubeGatewayReader {

    private KubeGatewayReader() {
    }

    static KubeGateway read(ObjectMeta meta, Fields spec) {
        spec.keys().forEach(spec::raw);
        return new KubeGateway(meta);
    }
}
