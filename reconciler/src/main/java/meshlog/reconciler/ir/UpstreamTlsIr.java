package meshlog.reconciler.ir;

import java.util.List;

/**
 * How a sidecar originates TLS to a backend: a DestinationRule's {@code tls} (the port-level one over the rule's,
 * the subset's over both), or Istio's auto mTLS when none is written.
 *
 * @param auto auto mTLS: {@link Mode#ISTIO_MUTUAL} only to endpoints labelled {@code security.istio.io/tlsMode:
 *             istio} (they run a proxy), plain text to the others, by transport socket matches
 * @param subjectAltNames the peer identities accepted (exact match on any SAN); for ISTIO_MUTUAL without SANs of its
 *                        own, the SPIFFE identities of the service's workloads, as Istio fills them in
 * @param sni empty: for ISTIO_MUTUAL the cluster's name, as Istio; for SIMPLE/MUTUAL none
 * @param clientCertificate file paths on the proxy's machine (SIMPLE, MUTUAL), as are {@code privateKey},
 *                          {@code caCertificates} and {@code caCrl}; empty when not written
 */
public record UpstreamTlsIr(Mode mode, boolean auto, List<String> subjectAltNames, String sni,
                            String clientCertificate, String privateKey, String caCertificates,
                            boolean insecureSkipVerify, String caCrl) {

    /** DestinationRule {@code ClientTLSSettings.TLSmode}. */
    public enum Mode { DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL }

    public UpstreamTlsIr {
        subjectAltNames = List.copyOf(subjectAltNames);
    }

    /** Istio's auto mTLS to a service whose workloads have these SPIFFE identities. */
    public static UpstreamTlsIr autoMtls(List<String> identities) {
        return new UpstreamTlsIr(Mode.ISTIO_MUTUAL, true, identities, "", "", "", "", false, "");
    }

    /** The same settings with {@code sans} in place of empty SANs (Istio's service accounts for ISTIO_MUTUAL). */
    public UpstreamTlsIr withDefaultSans(List<String> sans) {
        if (mode != Mode.ISTIO_MUTUAL || !subjectAltNames.isEmpty()) {
            return this;
        }
        return new UpstreamTlsIr(mode, auto, sans, sni, clientCertificate, privateKey, caCertificates,
                insecureSkipVerify, caCrl);
    }
}
