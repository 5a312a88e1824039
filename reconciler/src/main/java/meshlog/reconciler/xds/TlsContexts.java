package meshlog.reconciler.xds;

import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;
import meshlog.xdscheck.SecretNames;

/**
 * The parts of Istio's TLS contexts that inbound and outbound share: the workload's certificate and the trust
 * bundle as SDS secrets {@code default} and {@code ROOTCA} fetched over the ADS stream (where the distributor, or an
 * agent in its place, serves them), TLS 1.2 to 1.3, and SAN matchers.
 */
final class TlsContexts {

    static final String TLS_SOCKET = "envoy.transport_sockets.tls";
    static final String RAW_BUFFER_SOCKET = "envoy.transport_sockets.raw_buffer";

    private TlsContexts() {
    }

    /** The workload's own key and chain, and the mesh roots, with peer SANs checked against {@code sans}. */
    static CommonTlsContext.Builder istioMutual(List<String> sans, List<String> alpn) {
        return CommonTlsContext.newBuilder()
                .setTlsParams(TlsParameters.newBuilder()
                        .setTlsMinimumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_2)
                        .setTlsMaximumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_3))
                .addTlsCertificateSdsSecretConfigs(sds(SecretNames.DEFAULT))
                .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                        .setDefaultValidationContext(sanMatch(sans))
                        .setValidationContextSdsSecretConfig(sds(SecretNames.ROOTCA)))
                .addAllAlpnProtocols(alpn);
    }

    static SdsSecretConfig sds(String name) {
        return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(Protos.ads()).build();
    }

    /**
     * Exact matches on any of {@code sans}: a {@code spiffe://} identity as a URI SAN, anything else as a DNS SAN
     * (Istio's untyped matchers accept either; Envoy's typed ones name the SAN type).
     */
    static CertificateValidationContext.Builder sanMatch(List<String> sans) {
        CertificateValidationContext.Builder v = CertificateValidationContext.newBuilder();
        for (String san : sans) {
            v.addMatchTypedSubjectAltNames(SubjectAltNameMatcher.newBuilder()
                    .setSanType(san.startsWith("spiffe://") ? SubjectAltNameMatcher.SanType.URI
                            : SubjectAltNameMatcher.SanType.DNS)
                    .setMatcher(StringMatcher.newBuilder().setExact(san)));
        }
        return v;
    }

    static TransportSocket tls(com.google.protobuf.Message context) {
        return TransportSocket.newBuilder().setName(TLS_SOCKET).setTypedConfig(Protos.pack(context)).build();
    }

    static TransportSocket rawBuffer() {
        return TransportSocket.newBuilder().setName(RAW_BUFFER_SOCKET)
                .setTypedConfig(Protos.pack(RawBuffer.getDefaultInstance())).build();
    }
}
