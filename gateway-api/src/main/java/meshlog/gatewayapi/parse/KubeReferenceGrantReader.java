package meshlog.gatewayapi.parse;

import meshlog.gatewayapi.model.KubeReferenceGrant;
import meshlog.gatewayapi.model.KubeReferenceGrant.From;
import meshlog.gatewayapi.model.KubeReferenceGrant.To;
import meshlog.gatewayapi.model.ObjectMeta;

/** Reads {@code ReferenceGrant.spec}. */
final class KubeReferenceGrantReader {

    private KubeReferenceGrantReader() {
    }

    static KubeReferenceGrant read(ObjectMeta meta, Fields spec) {
        var from = spec.objects("from", (f, i) -> new From(f.string("group"), f.string("kind"),
                f.string("namespace")));
        var to = spec.objects("to", (f, i) -> new To(f.string("group"), f.string("kind"), f.string("name")));
        return new KubeReferenceGrant(meta, from, to);
    }
}
