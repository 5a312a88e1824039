package meshlog.gatewayapi.parse;

import meshlog.gatewayapi.model.ObjectMeta;
import meshlog.gatewayapi.model.RequestAuthentication;
import meshlog.gatewayapi.model.RequestAuthentication.ClaimToHeader;
import meshlog.gatewayapi.model.RequestAuthentication.JwtHeader;
import meshlog.gatewayapi.model.RequestAuthentication.JwtRule;
import meshlog.gatewayapi.model.RequestAuthentication.Presence;

/**
 * Reads {@code RequestAuthentication.spec}. Istio's CRD also accepts {@code jwks_uri} (the proto name) for
 * {@code jwksUri}; giving both is reported here (RA0104), as the CRD's one-of rule does.
 */
final class RequestAuthenticationReader {

    static final String JWKS_ONE_OF = "RA0104";

    private RequestAuthenticationReader() {
    }

    static RequestAuthentication read(ObjectMeta meta, Fields spec) {
        var target = PolicyTargetReader.target(spec);
        return new RequestAuthentication(meta, target, spec.objects("jwtRules", (f, i) -> jwtRule(f)));
    }

    private static JwtRule jwtRule(Fields f) {
        String jwksUri = f.string("jwksUri");
        String alias = f.string("jwks_uri");
        if (jwksUri != null && alias != null) {
            f.error(JWKS_ONE_OF, "jwks_uri", "only one of jwks or jwksUri can be set (jwks_uri is jwksUri)");
        } else if (jwksUri == null) {
            jwksUri = alias;
        }
        Boolean forward = f.bool("forwardOriginalToken");
        return new JwtRule(
                f.string("issuer"),
                f.strings("audiences"),
                jwksUri,
                f.string("jwks"),
                f.objects("fromHeaders", (h, i) -> new JwtHeader(h.string("name"), h.string("prefix"))),
                f.strings("fromParams"),
                f.strings("fromCookies"),
                f.string("outputPayloadToHeader"),
                forward != null && forward,
                f.objects("outputClaimToHeaders", (c, i) -> new ClaimToHeader(c.string("header"),
                        c.string("claim"))),
                f.duration("timeout"),
                f.strings("spaceDelimitedClaims"),
                EnumField.read(f, "presence", Presence.class, Presence.OPTIONAL));
    }
}
