package meshlog.reconciler.xds;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import java.util.List;
import meshlog.reconciler.ir.InboundTlsIr;

/**
 * The filter chains Istio lays out for one inbound port and its mTLS mode (its {@code FilterChainMatchOptions}):
 * each option matches on transport protocol (set by the TLS inspector: {@code tls}, else {@code raw_buffer}) and
 * maybe ALPN, and either terminates Istio mTLS or not.
 *
 * <ul>
 *   <li>STRICT: one chain for {@code tls}, terminating mTLS. A plain-text connection matches no chain of the port
 *       and Envoy closes it (Envoy does not fall back to chains of no port).</li>
 *   <li>PERMISSIVE: mTLS for {@code tls} with one of Istio's in-mesh ALPNs ({@code istio-peer-exchange},
 *       {@code istio}, {@code istio-http/*}, {@code istio-h2}), plain text for {@code raw_buffer}; a TCP port also
 *       passes other TLS (a client's own) through untouched.</li>
 *   <li>DISABLE: one chain for {@code raw_buffer}.</li>
 * </ul>
 *
 * <p>The server side offers ALPN {@code h2, http/1.1} on HTTP ports, {@code istio-peer-exchange, h2, http/1.1} on
 * TCP ones, as Istio; it requires a client certificate signed by the mesh roots ({@code ROOTCA}), whatever its
 * identity (authorization decides on identities).
 */
final class InboundTlsChains {

    static final String TLS = "tls";
    static final String RAW_BUFFER = "raw_buffer";
    /** Istio's server-side cipher suites for sidecars ({@code SupportedCiphers}). */
    private static final List<String> CIPHERS = List.of("ECDHE-ECDSA-AES256-GCM-SHA384",
            "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
            "AES256-GCM-SHA384", "AES128-GCM-SHA256");
    private static final List<String> ALL_MTLS_ALPNS = List.of("istio-http/1.0", "istio-http/1.1", "istio-h2",
            "istio-peer-exchange", "istio");

    /** One filter chain of a port: its match and whether it terminates mTLS. */
    record Option(String transportProtocol, List<String> alpn, boolean terminates) {
        FilterChainMatch.Builder match(int port) {
            return FilterChainMatch.newBuilder().setDestinationPort(com.google.protobuf.UInt32Value.of(port))
                    .setTransportProtocol(transportProtocol).addAllApplicationProtocols(alpn);
        }
    }

    private static final Option MTLS = new Option(TLS, List.of(), true);
    private static final Option MTLS_IN_MESH = new Option(TLS, ALL_MTLS_ALPNS, true);
    private static final Option PLAIN = new Option(RAW_BUFFER, List.of(), false);
    private static final Option OTHER_TLS = new Option(TLS, List.of(), false);

    private InboundTlsChains() {
    }

    /** Istio's options for a port of {@code mode}, HTTP or TCP, in Istio's order. */
    static List<Option> options(InboundTlsIr.Mode mode, boolean http) {
        return switch (mode) {
            case STRICT -> List.of(MTLS);
            case PERMISSIVE -> http ? List.of(MTLS_IN_MESH, PLAIN) : List.of(MTLS_IN_MESH, PLAIN, OTHER_TLS);
            case DISABLE -> List.of(PLAIN);
        };
    }

    /** Whether a listener of these chains needs the TLS inspector (to tell {@code tls} from {@code raw_buffer}). */
    static boolean needsInspector(InboundTlsIr.Mode mode) {
        return mode != InboundTlsIr.Mode.DISABLE;
    }

    /** Istio's server side of mTLS ({@code BuildInboundTLS}). */
    static DownstreamTlsContext downstream(boolean http) {
        List<String> alpn = http ? List.of("h2", "http/1.1") : List.of("istio-peer-exchange", "h2", "http/1.1");
        var common = TlsContexts.istioMutual(List.of(), alpn);
        common.getTlsParamsBuilder().addAllCipherSuites(CIPHERS);
        return DownstreamTlsContext.newBuilder()
                .setCommonTlsContext(common)
                .setRequireClientCertificate(BoolValue.of(true))
                .build();
    }
}
