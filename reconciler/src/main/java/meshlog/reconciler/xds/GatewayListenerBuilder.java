package meshlog.reconciler.xds;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import meshlog.reconciler.ir.GatewayChainIr;
import meshlog.reconciler.ir.GatewayListenerIr;
import meshlog.reconciler.ir.ServerTlsIr;

/**
 * A gateway's listener: bound on its address, tls_inspector first when a chain is chosen by SNI or
 * terminates TLS, then one filter chain per {@link GatewayChainIr}: an HttpConnectionManager on RDS, behind a
 * {@code DownstreamTlsContext} with certificates from files when the server terminates TLS; or tcp_proxy for a
 * passed-through SNI ({@link ListenerBuilder#chain}).
 */
final class GatewayListenerBuilder {

    static final String TLS_SOCKET = "envoy.transport_sockets.tls";

    private GatewayListenerBuilder() {
    }

    static Listener build(GatewayListenerIr ir) {
        Listener.Builder l = Listener.newBuilder().setName(ir.name())
                .setAddress(ListenerBuilder.address(ir.address(), ir.port()))
                .setTrafficDirection(TrafficDirection.OUTBOUND).setBindToPort(BoolValue.of(true));
        if (ir.inspectsTls()) {
            l.addListenerFilters(ListenerFilter.newBuilder().setName(ListenerBuilder.TLS_INSPECTOR)
                    .setTypedConfig(Protos.pack(TlsInspector.getDefaultInstance())));
        }
        for (GatewayChainIr c : ir.chains()) {
            if (c instanceof GatewayChainIr.Http http) {
                l.addFilterChains(http(http));
            } else if (c instanceof GatewayChainIr.Passthrough pass) {
                l.addFilterChains(ListenerBuilder.chain(pass.chain()));
            } else {
                throw new AssertionError(c);
            }
        }
        return l.build();
    }

    private static FilterChain http(GatewayChainIr.Http c) {
        FilterChain.Builder chain = FilterChain.newBuilder().addFilters(Filter.newBuilder()
                .setName(ListenerBuilder.HCM_FILTER).setTypedConfig(Protos.pack(
                        ListenerBuilder.hcm(c.statPrefix(), c.routeTable(), c.httpFilters()))));
        if (!c.serverNames().isEmpty()) {
            chain.setFilterChainMatch(FilterChainMatch.newBuilder().addAllServerNames(c.serverNames()));
        }
        if (c.tls() != null) {
            chain.setTransportSocket(TransportSocket.newBuilder().setName(TLS_SOCKET)
                    .setTypedConfig(Protos.pack(tls(c.tls()))));
        }
        return chain.build();
    }

    /** Istio's gateway defaults: TLS 1.2 at least, ALPN h2 and http/1.1; a client certificate only for MUTUAL. */
    static DownstreamTlsContext tls(ServerTlsIr t) {
        TlsParameters.Builder params = TlsParameters.newBuilder()
                .setTlsMinimumProtocolVersion(version(t.minVersion(), TlsParameters.TlsProtocol.TLSv1_2))
                .setTlsMaximumProtocolVersion(version(t.maxVersion(), TlsParameters.TlsProtocol.TLS_AUTO))
                .addAllCipherSuites(t.cipherSuites());
        CommonTlsContext.Builder common = CommonTlsContext.newBuilder().setTlsParams(params)
                .addAlpnProtocols("h2").addAlpnProtocols("http/1.1")
                .addTlsCertificates(TlsCertificate.newBuilder()
                        .setCertificateChain(file(t.certificateChain())).setPrivateKey(file(t.privateKey())));
        if (!t.clientCa().isEmpty()) {
            CertificateValidationContext.Builder v = CertificateValidationContext.newBuilder()
                    .setTrustedCa(file(t.clientCa())).addAllVerifyCertificateSpki(t.spkiPins())
                    .addAllVerifyCertificateHash(t.certificateHashes());
            if (!t.crl().isEmpty()) {
                v.setCrl(file(t.crl()));
            }
            // Istio compares subjectAltNames with any SAN: a DNS name or a URI (a SPIFFE identity)
            for (String san : t.subjectAltNames()) {
                for (SubjectAltNameMatcher.SanType type : new SubjectAltNameMatcher.SanType[] {
                        SubjectAltNameMatcher.SanType.DNS, SubjectAltNameMatcher.SanType.URI}) {
                    v.addMatchTypedSubjectAltNames(SubjectAltNameMatcher.newBuilder().setSanType(type)
                            .setMatcher(StringMatcher.newBuilder().setExact(san)));
                }
            }
            common.setValidationContext(v);
        }
        return DownstreamTlsContext.newBuilder().setCommonTlsContext(common)
                .setRequireClientCertificate(BoolValue.of(t.requireClientCertificate())).build();
    }

    private static TlsParameters.TlsProtocol version(String istio, TlsParameters.TlsProtocol auto) {
        return switch (istio) {
            case "TLSV1_0" -> TlsParameters.TlsProtocol.TLSv1_0;
            case "TLSV1_1" -> TlsParameters.TlsProtocol.TLSv1_1;
            case "TLSV1_2" -> TlsParameters.TlsProtocol.TLSv1_2;
            case "TLSV1_3" -> TlsParameters.TlsProtocol.TLSv1_3;
            default -> auto;
        };
    }

    private static DataSource file(String path) {
        return DataSource.newBuilder().setFilename(path).build();
    }
}
