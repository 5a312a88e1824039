package meshlog.gatewayapi.parse;

import meshlog.gatewayapi.model.PeerAuthentication;
import meshlog.gatewayapi.model.ObjectMeta;

/** Reads {@code PeerAuthentication.spec}. Placeholder: every field is accepted unread. */
final class PeerAuthenticationReader {

    private PeerAuthenticationReader() {
    }

    static PeerAuthentication read(ObjectMeta meta, Fields spec) {
        spec.keys().forEach(spec::raw);
        return new PeerAuthentication(meta);
    }
}
