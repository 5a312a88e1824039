package meshlog.reconciler.ir;

import java.time.Duration;
import java.util.List;

/**
 * The JWT checks of one Envoy sidecar's inbound HTTP chains, as Istio builds Envoy's {@code jwt_authn} filter from
 * the RequestAuthentications that select the workload: one provider per {@code jwtRules} entry, named
 * {@code origins-<i>} in the order of the rules. A request with a token none of the providers accepts is refused
 * (401); a request without a token passes, with no identity (Istio's {@code requires_any} of each provider or
 * {@code allow_missing}), so requiring a token takes an AuthorizationPolicy on {@code requestPrincipals}.
 *
 * @param providers in the order of their rules, at least one
 */
public record JwtAuthnIr(List<Provider> providers) {

    /** The dynamic-metadata key the verified payload is written to (Istio's {@code EnvoyJwtFilterPayload}). */
    public static final String PAYLOAD_KEY = "payload";

    public JwtAuthnIr {
        providers = List.copyOf(providers);
        if (providers.isEmpty()) {
            throw new IllegalArgumentException("a jwt_authn filter needs a provider");
        }
    }

    /**
     * One issuer's tokens: where they are found, how they are verified, what is forwarded.
     *
     * @param issuer empty when the rule names none (any {@code iss} is accepted)
     * @param fromHeaders empty: Envoy's default, {@code Authorization: Bearer <token>}
     * @param fromParams empty: Envoy's default, {@code access_token}, when no header is given either
     * @param forwardPayloadHeader the header the payload is written to (base64url), empty for none
     * @param spaceDelimitedClaims claims whose space-separated string becomes a list in the metadata
     */
    public record Provider(String name, String issuer, List<String> audiences, Jwks jwks,
                           List<TokenHeader> fromHeaders, List<String> fromParams, List<String> fromCookies,
                           boolean forward, String forwardPayloadHeader, List<ClaimHeader> claimToHeaders,
                           List<String> spaceDelimitedClaims) {
        public Provider {
            audiences = List.copyOf(audiences);
            fromHeaders = List.copyOf(fromHeaders);
            fromParams = List.copyOf(fromParams);
            fromCookies = List.copyOf(fromCookies);
            claimToHeaders = List.copyOf(claimToHeaders);
            spaceDelimitedClaims = List.copyOf(spaceDelimitedClaims);
        }
    }

    /** Where a provider's public keys come from. */
    public sealed interface Jwks permits Inline, Remote {
    }

    /** A JWK set written in the policy. */
    public record Inline(String json) implements Jwks {
    }

    /**
     * A JWK set Envoy fetches from {@code uri} through {@code cluster} (a {@link JwksClusterIr}), and caches.
     *
     * @param timeout how long one fetch may take
     */
    public record Remote(String uri, String cluster, Duration timeout) implements Jwks {
    }

    /** A header carrying the token after {@code prefix}. */
    public record TokenHeader(String name, String prefix) {
    }

    /** Copy a verified token's {@code claim} to request header {@code header}. */
    public record ClaimHeader(String header, String claim) {
    }
}
