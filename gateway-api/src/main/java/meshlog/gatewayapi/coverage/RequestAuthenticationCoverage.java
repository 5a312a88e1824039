package meshlog.gatewayapi.coverage;

import static meshlog.gatewayapi.coverage.Applied.NO;
import static meshlog.gatewayapi.coverage.Applied.YES;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RequestAuthentication's rows of the {@link Coverage} table: enforced on Envoy sidecars' inbound HTTP chains by
 * Envoy's {@code jwt_authn} filter; not on proxyless gRPC servers (no inbound side is served to them) nor on
 * gateways. As for every security kind, a field no proxy is given is refused ({@code ML0017}).
 */
final class RequestAuthenticationCoverage {

    static final String RA = "RequestAuthentication";
    private static final String RULE = "spec.jwtRules[].";
    private static final Pattern RULE_INDEX = Pattern.compile("^spec\\.jwtRules\\[(\\d+)]");
    /**
     * A rule with neither {@code jwks} nor {@code jwksUri}: Istio's istiod finds the keys by OpenID discovery
     * from the issuer; Envoy cannot, and meshlog's reconciler fetches nothing.
     */
    private static final When NO_KEYS = (spec, path, value) -> {
        Matcher m = RULE_INDEX.matcher(path);
        if (!m.find()) {
            return false;
        }
        JsonNode rule = spec.path("jwtRules").path(Integer.parseInt(m.group(1)));
        return !rule.has("jwks") && !rule.has("jwksUri") && !rule.has("jwks_uri");
    };

    private RequestAuthenticationCoverage() {
    }

    static void add(List<FieldRow> out) {
        out.add(yes("spec.selector", "which sidecars it applies to (in the root namespace `istio-system`: of"
                + " every namespace); none: every workload of its namespace, or of the mesh in the root namespace"));
        out.add(no("spec.targetRef", "", When.WRITTEN, "selects gateways and waypoints; meshlog serves neither"));
        out.add(no("spec.targetRefs", "", When.NON_EMPTY, "selects gateways and waypoints; meshlog serves neither"));
        out.add(new FieldRow(RA, RULE + "issuer", "with `jwks` or `jwksUri`", YES, NO, "the token's `iss`;"
                + " one Envoy provider `origins-<i>` per rule", When.not(NO_KEYS)));
        out.add(no(RULE + "issuer", "without `jwks` or `jwksUri`", NO_KEYS, "needs OpenID discovery of the"
                + " issuer's keys, which Istio's istiod does and meshlog does not; give `jwksUri`"));
        out.add(yes(RULE + "audiences", "one of them must be in the token's `aud`"));
        out.add(yes(RULE + "jwksUri", "fetched and cached (5 min) by Envoy through a cluster to the URI's host"));
        out.add(yes(RULE + "jwks_uri", "as `jwksUri`"));
        out.add(yes(RULE + "jwks", "inline"));
        out.add(yes(RULE + "fromHeaders", "default `Authorization: Bearer`"));
        out.add(yes(RULE + "fromParams", "default `access_token`"));
        out.add(yes(RULE + "fromCookies", ""));
        out.add(yes(RULE + "outputPayloadToHeader", "the verified payload, base64url"));
        out.add(yes(RULE + "forwardOriginalToken", "default: the token is removed before the workload"));
        out.add(yes(RULE + "outputClaimToHeaders", "a claim copied to a header"));
        out.add(yes(RULE + "timeout", "of a JWKS fetch; default 5 s"));
        out.add(yes(RULE + "spaceDelimitedClaims", "besides `scope` and `permission`, split for claim matches"));
        out.add(no(RULE + "presence", "REQUIRED", When.not(When.equalTo("OPTIONAL")), "not part of the JWT filter meshlog builds: a token is"
                + " required by an AuthorizationPolicy on `requestPrincipals`"));
    }

    private static FieldRow yes(String path, String note) {
        return new FieldRow(RA, path, "", YES, NO, note, When.WRITTEN);
    }

    private static FieldRow no(String path, String variant, When when, String note) {
        return new FieldRow(RA, path, variant, NO, NO, note, when);
    }
}
