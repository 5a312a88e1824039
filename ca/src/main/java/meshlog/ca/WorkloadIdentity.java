package meshlog.ca;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Who a workload is: a Kubernetes namespace and service account, the two parts of its SPIFFE ID
 * {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>}.
 *
 * @throws IllegalArgumentException (constructor) if a part is not a DNS-1123 name; the message quotes the value
 */
public record WorkloadIdentity(String namespace, String serviceAccount) {

    public WorkloadIdentity {
        Names.namespace(namespace);
        Names.serviceAccount(serviceAccount);
    }

    /** The SPIFFE ID in {@code trustDomain}. */
    public String spiffeId(String trustDomain) {
        return Names.spiffeId(trustDomain, namespace, serviceAccount);
    }

    /**
     * The identity a SPIFFE ID names, if it is exactly {@code spiffe://<trustDomain>/ns/<ns>/sa/<sa>} with valid
     * names; empty for anything else (another trust domain, a query, extra path segments).
     */
    public static Optional<WorkloadIdentity> fromSpiffeId(String trustDomain, String spiffeId) {
        try {
            URI uri = new URI(spiffeId);
            String[] path = uri.getRawPath() == null ? new String[0] : uri.getRawPath().split("/", -1);
            if (!"spiffe".equals(uri.getScheme()) || !trustDomain.equals(uri.getRawAuthority())
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || path.length != 5
                    || !path[0].isEmpty() || !"ns".equals(path[1]) || !"sa".equals(path[3])) {
                return Optional.empty();
            }
            return Optional.of(new WorkloadIdentity(path[2], path[4]));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
