package meshlog.caserver;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import meshlog.ca.JoinTokens;
import meshlog.ca.JoinTokens.InvalidJoinTokenException;
import meshlog.ca.WorkloadIdentity;

/**
 * Decides who calls, in Istio's order ({@code security/pkg/server/ca/authenticate}): the TLS client certificate
 * first (renewal with a meshlog-issued certificate), then the bearer token of {@code authorization: Bearer <t>}:
 * a meshlog join token ({@code mljt1.} prefix) or else a Kubernetes service-account token, reviewed by the API
 * server of the caller's cluster. The TLS layer has already checked that a client certificate chains to the
 * mesh root; here it must also name exactly one SPIFFE ID of the trust domain.
 */
final class CallerAuthenticator {

    private static final String BEARER = "Bearer ";

    private final String trustDomain;
    private final JoinTokens joinTokens;
    private final Map<String, TokenReviewer> reviewers;

    /** @param reviewers by cluster; a cluster without one refuses Kubernetes tokens */
    CallerAuthenticator(String trustDomain, JoinTokens joinTokens, Map<String, TokenReviewer> reviewers) {
        this.trustDomain = trustDomain;
        this.joinTokens = joinTokens;
        this.reviewers = Map.copyOf(reviewers);
    }

    /**
     * @param peerChain     the verified client chain, or null without one
     * @param authorization the {@code authorization} header, or null
     * @param cluster       the caller's cluster (known to the mesh)
     * @throws AuthenticationException naming what each way found, never a credential
     */
    Caller authenticate(X509Certificate[] peerChain, String authorization, String cluster)
            throws AuthenticationException {
        List<String> failures = new ArrayList<>();
        if (peerChain != null && peerChain.length > 0) {
            Optional<WorkloadIdentity> fromCert = identity(peerChain[0], failures);
            if (fromCert.isPresent()) {
                return new Caller(fromCert.get(), "client-certificate", null);
            }
        } else {
            failures.add("no client certificate");
        }
        if (authorization == null) {
            failures.add("no authorization: Bearer token");
        } else if (!authorization.startsWith(BEARER) || authorization.length() == BEARER.length()) {
            failures.add("the authorization header is not \"Bearer <token>\"");
        } else {
            String token = authorization.substring(BEARER.length()).strip();
            return JoinTokens.isJoinToken(token) ? joinToken(token) : kubernetes(token, cluster);
        }
        throw new AuthenticationException("not authenticated: " + String.join("; ", failures));
    }

    private Caller joinToken(String token) throws AuthenticationException {
        try {
            JoinTokens.JoinToken verified = joinTokens.verify(token);
            return new Caller(verified.identity(), "join-token", verified);
        } catch (InvalidJoinTokenException e) {
            throw new AuthenticationException(e.getMessage());
        }
    }

    private Caller kubernetes(String token, String cluster) throws AuthenticationException {
        TokenReviewer reviewer = reviewers.get(cluster);
        if (reviewer == null) {
            throw new AuthenticationException("a Kubernetes token from cluster " + cluster + ", but the CA has no"
                    + " API server for it (--kube-api " + cluster + "=URL)" + (reviewers.isEmpty() ? ""
                    : "; it has one for " + String.join(", ", reviewers.keySet().stream().sorted().toList())));
        }
        return new Caller(reviewer.review(token), "kubernetes-token", null);
    }

    private Optional<WorkloadIdentity> identity(X509Certificate leaf, List<String> failures) {
        try {
            return Optional.of(WorkloadIdentity.ofCertificate(trustDomain, leaf));
        } catch (IllegalArgumentException e) {
            failures.add(e.getMessage().replace("the certificate", "the client certificate"));
            return Optional.empty();
        }
    }
}
