package meshlog.gatewayapi.parse;

import meshlog.gatewayapi.model.KubeReferenceGrant;
import meshlog.gatewayapi.model.ObjectMeta;

/** Reads {@code ReferenceGrant.spec}. Placeholder: every field is accepted unread. */
final class KubeReferenceGrantReader {

    private KubeReferenceGrantReader() {
    }

    static KubeReferenceGrant read(ObjectMeta meta, Fields spec) {
        spec.keys().forEach(spec::raw);
        return new KubeReferenceGrant(meta);
    }
}
