package meshlog.caserver;

import meshlog.ca.WorkloadIdentity;

/** Asks a cluster's API server who a service-account token belongs to (Kubernetes' TokenReview). */
interface TokenReviewer {

    /** The audience Istio's agent requests its tokens for, and the CA asks the API server to check. */
    String AUDIENCE = "istio-ca";

    /**
     * The service account the token authenticates for audience {@link #AUDIENCE}.
     *
     * @throws AuthenticationException if the API server does not authenticate it, or it is not a service account
     */
    WorkloadIdentity review(String token) throws AuthenticationException;
}
