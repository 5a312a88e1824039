package meshlog.gatewayapi.validate;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import meshlog.gatewayapi.model.RequestAuthentication;
import meshlog.gatewayapi.model.RequestAuthentication.ClaimToHeader;
import meshlog.gatewayapi.model.RequestAuthentication.JwtRule;

/**
 * RequestAuthentication rules (Istio's {@code ValidateRequestAuthentication}, {@code validateJwtRule} and the CRD's
 * rules). {@code jwksUri} given together with its alias {@code jwks_uri} is reported by the reader (RA0104).
 */
final class RequestAuthenticationRules {

    static final int MAX_JWT_RULES = 4096;
    static final int MAX_SPACE_DELIMITED_CLAIMS = 64;
    static final int MAX_JWKS_URI = 2048;
    /** Istio's {@code ValidateStrictHTTPHeaderName}: what Envoy accepts as a header to write a claim to. */
    /** A URL's scheme as Go's {@code url.Parse} reads it (case-insensitive). */
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):");
    private static final Pattern STRICT_HEADER = Pattern.compile("^[-_A-Za-z0-9]+$");

    private RequestAuthenticationRules() {
    }

    static void check(RequestAuthentication ra, Findings f) {
        PolicyTargetChecks.target("RA", ra.target(), f);
        if (ra.jwtRules().size() > MAX_JWT_RULES) {
            f.error("RA0109", "spec.jwtRules", "at most " + MAX_JWT_RULES + " jwtRules, got "
                    + ra.jwtRules().size());
        }
        for (int i = 0; i < ra.jwtRules().size(); i++) {
            jwtRule(ra.jwtRules().get(i), "spec.jwtRules[" + i + "]", f);
        }
    }

    private static void jwtRule(JwtRule rule, String path, Findings f) {
        boolean hasIssuer = rule.issuer() != null && !rule.issuer().isEmpty();
        boolean hasUri = rule.jwksUri() != null && !rule.jwksUri().isEmpty();
        if (!hasIssuer && !hasUri) {
            f.error("RA0101", path, "issuer or jwksUri must be non-empty string");
        } else if (rule.issuer() != null && rule.issuer().isEmpty()) {
            f.error("RA0102", path + ".issuer", "should be at least 1 chars long; leave it out instead");
        }
        jwks(rule, path, f);
        nonEmpty(rule.audiences(), path + ".audiences", f);
        for (int j = 0; j < rule.fromHeaders().size(); j++) {
            if (rule.fromHeaders().get(j).name().isEmpty()) {
                f.error("RA0102", path + ".fromHeaders[" + j + "].name",
                        "Required value: location header name must be non-empty string");
            }
        }
        nonEmpty(rule.fromParams(), path + ".fromParams", f);
        nonEmpty(rule.fromCookies(), path + ".fromCookies", f);
        nonEmpty(rule.spaceDelimitedClaims(), path + ".spaceDelimitedClaims", f);
        if (rule.spaceDelimitedClaims().size() > MAX_SPACE_DELIMITED_CLAIMS) {
            f.error("RA0109", path + ".spaceDelimitedClaims", "at most " + MAX_SPACE_DELIMITED_CLAIMS
                    + " claims, got " + rule.spaceDelimitedClaims().size());
        }
        for (int j = 0; j < rule.outputClaimToHeaders().size(); j++) {
            claimToHeader(rule.outputClaimToHeaders().get(j), path + ".outputClaimToHeaders[" + j + "]", f);
        }
        if (rule.timeout() != null) {
            f.errorIf("RA0108", path + ".timeout", Checks.duration(rule.timeout()));
        }
    }

    private static void jwks(JwtRule rule, String path, Findings f) {
        if (rule.jwksUri() != null) {
            f.errorIf("RA0103", path + ".jwksUri", jwksUri(rule.jwksUri()));
        }
        if (rule.jwks() == null) {
            return;
        }
        if (rule.jwksUri() != null) {
            f.error("RA0104", path + ".jwks", "only one of jwks or jwksUri can be set");
        }
        if (rule.jwks().isEmpty()) {
            return; // Istio parses the set only when it is non-empty
        }
        JwksCheck.Result r = JwksCheck.check(rule.jwks());
        f.errorIf("RA0105", path + ".jwks", r.problem());
        for (String key : r.privateKeys()) {
            f.warning("RA0106", path + ".jwks", "the JWKS holds private key material: " + key + "; a JWKS for "
                    + "verifying tokens needs public keys only; remove them and rotate the leaked key");
        }
    }

    /**
     * What Istio's CRD and {@code ParseJwksURI} accept: an http or https URL of at most 2048 characters, without
     * control characters.
     */
    static String jwksUri(String uri) {
        if (uri.isEmpty()) {
            return "should be at least 1 chars long; leave it out instead";
        }
        if (uri.length() > MAX_JWKS_URI) {
            return "must be at most " + MAX_JWKS_URI + " characters, got " + uri.length();
        }
        if (uri.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "invalid control character in URL";
        }
        Matcher scheme = SCHEME.matcher(uri);
        String name = scheme.lookingAt() ? scheme.group(1).toLowerCase(Locale.ROOT) : "";
        if (!name.equals("http") && !name.equals("https")) {
            return "url must have scheme http:// or https://, got \"" + uri + "\"";
        }
        String port = port(uri.substring(scheme.end()));
        return port != null ? port : host(uri);
    }

    /** Envoy fetches the set from the URI's host: a URL without one (or that is not one) cannot be fetched. */
    private static String host(String uri) {
        try {
            if (java.net.URI.create(uri).getHost() == null) {
                return "url needs a host to fetch the JWKS from, got \"" + uri + "\"";
            }
            return null;
        } catch (IllegalArgumentException e) {
            return "not a URL Envoy can fetch the JWKS from: \"" + uri + "\" (" + e.getMessage() + ")";
        }
    }

    /**
     * The port of the authority, as Go's {@code url.Parse} reads it: after the last {@code :} of the host (or
     * after {@code ]} of an IPv6 literal), digits only or nothing.
     */
    private static String port(String rest) {
        if (!rest.startsWith("//")) {
            return null;
        }
        String authority = rest.substring(2).split("[/?#]", 2)[0];
        String host = authority.substring(authority.lastIndexOf('@') + 1);
        String colonPort;
        if (host.startsWith("[")) {
            int close = host.lastIndexOf(']');
            if (close < 0) {
                return "invalid host \"" + host + "\": missing ']' after an IPv6 address";
            }
            colonPort = host.substring(close + 1);
        } else {
            int colon = host.lastIndexOf(':');
            colonPort = colon < 0 ? "" : host.substring(colon);
        }
        boolean valid = colonPort.isEmpty() || colonPort.startsWith(":")
                && colonPort.chars().skip(1).allMatch(c -> c >= '0' && c <= '9');
        return valid ? null : "invalid port \"" + colonPort + "\" after host: a port is a number";
    }

    private static void claimToHeader(ClaimToHeader c, String path, Findings f) {
        if (c.claim().isEmpty()) {
            f.error("RA0102", path + ".claim", "should be at least 1 chars long: the claim to copy is required");
        }
        if (c.header().isEmpty()) {
            f.error("RA0102", path + ".header", "should be at least 1 chars long: the header to write is required");
        } else if (!STRICT_HEADER.matcher(c.header()).matches()) {
            f.error("RA0107", path + ".header", "should match '^[-_A-Za-z0-9]+$': \"" + c.header()
                    + "\" is not a header name Envoy can write a claim to");
        }
    }

    private static void nonEmpty(List<String> values, String path, Findings f) {
        for (int j = 0; j < values.size(); j++) {
            if (values.get(j).isEmpty()) {
                f.error("RA0102", path + "[" + j + "]", "should be at least 1 chars long");
            }
        }
    }
}
