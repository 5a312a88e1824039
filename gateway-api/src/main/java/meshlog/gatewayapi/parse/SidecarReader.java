package meshlog.gatewayapi.parse;

import meshlog.gatewayapi.model.Sidecar;
import meshlog.gatewayapi.model.ObjectMeta;

/** Reads {@code Sidecar.spec}. Placeholder: every field is accepted unread. */
final class SidecarReader {

    private SidecarReader() {
    }

    static Sidecar read(ObjectMeta meta, Fields spec) {
        spec.keys().forEach(spec::raw);
        return new Sidecar(meta);
    }
}
