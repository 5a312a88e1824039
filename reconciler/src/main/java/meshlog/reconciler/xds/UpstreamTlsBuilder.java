package meshlog.reconciler.xds;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.List;
import meshlog.reconciler.ir.BackendIr;
import meshlog.reconciler.ir.UpstreamTlsIr;

/**
 * A sidecar cluster's TLS origination, as Istio's {@code applyUpstreamTLSSettings}:
 *
 * <ul>
 *   <li>ISTIO_MUTUAL: the workload's certificate and the mesh roots over SDS, the peer's SANs checked against the
 *       service's SPIFFE identities, SNI the cluster's name, ALPN {@code istio-peer-exchange, istio} (and
 *       {@code h2} for an HTTP/2 cluster). Written by the user: the cluster's transport socket. Auto mTLS (no
 *       {@code tls} written): transport socket matches, {@code tlsMode-istio} for endpoints whose metadata says
 *       {@code tlsMode: istio}, {@code tlsMode-disabled} (plain text) for the rest; only for EDS clusters.</li>
 *   <li>SIMPLE and MUTUAL: the files the rule names (certificate, key, CA, CRL), read by Envoy itself (Istio has
 *       its agent serve them over SDS; meshlog has no agent file server yet), the system's roots without
 *       {@code caCertificates}, no verification with {@code insecureSkipVerify}, SNI as written, {@code h2} ALPN
 *       for an HTTP/2 cluster.</li>
 *   <li>DISABLE: plain text.</li>
 * </ul>
 */
final class UpstreamTlsBuilder {

    /** The filter-metadata key Envoy's transport socket matches read endpoint metadata under. */
    static final String SOCKET_MATCH_METADATA = "envoy.transport_socket_match";
    /**
     * The operating system's roots, which Istio's agent serves for SIMPLE and MUTUAL without
     * {@code caCertificates} ({@code file-root:system}); here Envoy reads them from Debian's and Ubuntu's bundle,
     * the base of Istio's proxy image.
     */
    static final String SYSTEM_ROOTS = "/etc/ssl/certs/ca-certificates.crt";
    private static final Struct ISTIO_TLS_MODE = Struct.newBuilder()
            .putFields("tlsMode", Value.newBuilder().setStringValue("istio").build()).build();

    private UpstreamTlsBuilder() {
    }

    static void apply(BackendIr ir, Cluster.Builder c) {
        UpstreamTlsIr tls = ir.policy().tls();
        if (tls == null || tls.mode() == UpstreamTlsIr.Mode.DISABLE) {
            return;
        }
        UpstreamTlsContext context = switch (tls.mode()) {
            case ISTIO_MUTUAL -> istioMutual(tls, ir.name(), ir.http2());
            case SIMPLE, MUTUAL -> fromFiles(tls, ir.http2());
            default -> throw new AssertionError(tls.mode());
        };
        if (!tls.auto()) {
            c.setTransportSocket(TlsContexts.tls(context));
        } else if (c.getType() == Cluster.DiscoveryType.EDS) {
            // Not for original-destination clusters (as Istio), nor for DNS ones: their endpoints carry no
            // metadata, so every connection would be plain text anyway, and Envoy 1.40 crashes (SIGSEGV, seen
            // here) on transport socket matches in a cluster of the envoy.cluster.dns extension.
            c.addTransportSocketMatches(Cluster.TransportSocketMatch.newBuilder().setName("tlsMode-istio")
                    .setMatch(ISTIO_TLS_MODE).setTransportSocket(TlsContexts.tls(context)));
            c.addTransportSocketMatches(Cluster.TransportSocketMatch.newBuilder().setName("tlsMode-disabled")
                    .setMatch(Struct.getDefaultInstance()).setTransportSocket(TlsContexts.rawBuffer()));
        }
    }

    /** The endpoint metadata of a workload that runs a proxy. */
    static Struct istioTlsMode() {
        return ISTIO_TLS_MODE;
    }

    private static UpstreamTlsContext istioMutual(UpstreamTlsIr tls, String cluster, boolean http2) {
        List<String> alpn = http2 ? List.of("istio-peer-exchange", "istio", "h2")
                : List.of("istio-peer-exchange", "istio");
        return UpstreamTlsContext.newBuilder().setSni(tls.sni().isEmpty() ? cluster : tls.sni())
                .setCommonTlsContext(TlsContexts.istioMutual(tls.subjectAltNames(), alpn)).build();
    }

    private static UpstreamTlsContext fromFiles(UpstreamTlsIr tls, boolean http2) {
        CommonTlsContext.Builder common = CommonTlsContext.newBuilder().setTlsParams(TlsParameters.newBuilder()
                .setTlsMinimumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_2)
                .setTlsMaximumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_3));
        // Without both files (a credentialName, which meshlog does not serve) no client certificate is sent, and
        // a server that asks for one refuses the handshake: closed, not open.
        if (tls.mode() == UpstreamTlsIr.Mode.MUTUAL && !tls.clientCertificate().isEmpty()
                && !tls.privateKey().isEmpty()) {
            common.addTlsCertificates(TlsCertificate.newBuilder().setCertificateChain(file(tls.clientCertificate()))
                    .setPrivateKey(file(tls.privateKey())));
        }
        if (!tls.insecureSkipVerify()) {
            var validation = TlsContexts.sanMatch(tls.subjectAltNames()).setTrustedCa(file(
                    tls.caCertificates().isEmpty() ? SYSTEM_ROOTS : tls.caCertificates()));
            if (!tls.caCrl().isEmpty()) {
                validation.setCrl(file(tls.caCrl()));
            }
            common.setValidationContext(validation);
        }
        if (http2) {
            common.addAlpnProtocols("h2");
        }
        return UpstreamTlsContext.newBuilder().setSni(tls.sni()).setCommonTlsContext(common).build();
    }

    private static DataSource file(String path) {
        return DataSource.newBuilder().setFilename(path).build();
    }
}
