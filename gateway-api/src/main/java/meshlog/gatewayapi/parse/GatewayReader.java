package meshlog.gatewayapi.parse;

import meshlog.gatewayapi.model.Gateway;
import meshlog.gatewayapi.model.ObjectMeta;

/** Reads {@code Gateway.spec}. Placeholder: every field is accepted unread. */
final class GatewayReader {

    private GatewayReader() {
    }

    static Gateway read(ObjectMeta meta, Fields spec) {
        spec.keys().forEach(spec::raw);
        return new Gateway(meta);
    }
}
