package meshlog.gatewayapi.parse;

import meshlog.gatewayapi.model.RequestAuthentication;
import meshlog.gatewayapi.model.ObjectMeta;

/** Reads {@code RequestAuthentication.spec}. Placeholder: every field is accepted unread. */
final class RequestAuthenticationReader {

    private RequestAuthenticationReader() {
    }

    static RequestAuthentication read(ObjectMeta meta, Fields spec) {
        spec.keys().forEach(spec::raw);
        return new RequestAuthentication(meta);
    }
}
