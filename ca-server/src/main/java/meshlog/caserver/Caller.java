package meshlog.caserver;

import meshlog.ca.JoinTokens.JoinToken;
import meshlog.ca.WorkloadIdentity;

/**
 * An authenticated caller of the certificate API.
 *
 * @param identity  who the caller proved to be; the certificate gets this identity, whatever the CSR asks
 * @param method    how: {@code client-certificate}, {@code kubernetes-token} or {@code join-token}
 * @param joinToken the verified join token, to be redeemed once the request is otherwise valid; null for others
 */
record Caller(WorkloadIdentity identity, String method, JoinToken joinToken) {
}
