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
    /** The X.509 GeneralName tag of a URI SAN. */
    private static final int URI_SAN = 6;

    /**
     * The identity a verified peer certificate proves: its one URI SAN, a SPIFFE ID of {@code trustDomain}. Used
     * where a certificate is the credential (the CA's renewal, authenticated xDS), so both read it the same way.
     *
     * @throws IllegalArgumentException saying what the certificate lacks (no key material)
     */
    public static WorkloadIdentity ofCertificate(String trustDomain, java.security.cert.X509Certificate leaf) {
        java.util.List<String> uris = new java.util.ArrayList<>();
        try {
            java.util.Collection<java.util.List<?>> sans = leaf.getSubjectAlternativeNames();
            for (java.util.List<?> san : sans == null ? java.util.List.<java.util.List<?>>of() : sans) {
                if (san.size() == 2 && Integer.valueOf(URI_SAN).equals(san.get(0))) {
                    uris.add(String.valueOf(san.get(1)));
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            throw new IllegalArgumentException("the certificate's SANs cannot be read");
        }
        if (uris.size() != 1) {
            throw new IllegalArgumentException("the certificate has " + uris.size() + " URI SANs, not one SPIFFE ID");
        }
        return fromSpiffeId(trustDomain, uris.get(0)).orElseThrow(() -> new IllegalArgumentException(
                "the certificate's URI SAN is not spiffe://" + trustDomain + "/ns/<ns>/sa/<sa>"));
    }

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
