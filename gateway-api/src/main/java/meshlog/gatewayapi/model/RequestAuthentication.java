package meshlog.gatewayapi.model;

import java.time.Duration;
import java.util.List;

/**
 * Istio {@code RequestAuthentication}: which JWTs a workload accepts. A request with an invalid token is rejected;
 * a request with no token is accepted with no identity (unless a rule's presence is REQUIRED), so requiring one
 * takes an AuthorizationPolicy on {@code requestPrincipals}.
 */
public record RequestAuthentication(ObjectMeta metadata, PolicyTarget target, List<JwtRule> jwtRules)
        implements MeshResource {

    /** Istio {@code JWTRule.presence}; OPTIONAL when not given. */
    public enum Presence { OPTIONAL, REQUIRED }

    /**
     * Istio {@code JWTRule}: how to find, verify and forward one issuer's tokens.
     *
     * @param issuer null when not given
     * @param jwksUri null when not given ({@code jwks_uri} is read as an alias)
     * @param jwks inline JWK set (JSON); null when not given
     * @param outputPayloadToHeader null when not given
     * @param timeout how long to wait for the JWKS to be fetched; null when not given
     */
    public record JwtRule(String issuer, List<String> audiences, String jwksUri, String jwks,
                          List<JwtHeader> fromHeaders, List<String> fromParams, List<String> fromCookies,
                          String outputPayloadToHeader, boolean forwardOriginalToken,
                          List<ClaimToHeader> outputClaimToHeaders, Duration timeout,
                          List<String> spaceDelimitedClaims, Presence presence) {
        public JwtRule {
            audiences = List.copyOf(audiences);
            fromHeaders = List.copyOf(fromHeaders);
            fromParams = List.copyOf(fromParams);
            fromCookies = List.copyOf(fromCookies);
            outputClaimToHeaders = List.copyOf(outputClaimToHeaders);
            spaceDelimitedClaims = List.copyOf(spaceDelimitedClaims);
            presence = presence == null ? Presence.OPTIONAL : presence;
        }
    }

    /** Istio {@code JWTHeader}: a header carrying the token, after {@code prefix} (e.g. {@code "Bearer "}). */
    public record JwtHeader(String name, String prefix) {
        public JwtHeader {
            name = name == null ? "" : name;
            prefix = prefix == null ? "" : prefix;
        }
    }

    /** Istio {@code ClaimToHeader}: copy the verified token's {@code claim} into request header {@code header}. */
    public record ClaimToHeader(String header, String claim) {
        public ClaimToHeader {
            header = header == null ? "" : header;
            claim = claim == null ? "" : claim;
        }
    }

    public RequestAuthentication {
        jwtRules = List.copyOf(jwtRules);
    }

    @Override
    public String kind() {
        return "RequestAuthentication";
    }
}
