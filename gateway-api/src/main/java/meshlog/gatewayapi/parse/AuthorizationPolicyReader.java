package meshlog.gatewayapi.parse;

import meshlog.gatewayapi.model.AuthorizationPolicy;
import meshlog.gatewayapi.model.ObjectMeta;

/** Reads {@code AuthorizationPolicy.spec}. Placeholder: every field is accepted unread. */
final class AuthorizationPolicyReader {

    private AuthorizationPolicyReader() {
    }

    static AuthorizationPolicy read(ObjectMeta meta, Fields spec) {
        spec.keys().forEach(spec::raw);
        return new AuthorizationPolicy(meta);
    }
}
