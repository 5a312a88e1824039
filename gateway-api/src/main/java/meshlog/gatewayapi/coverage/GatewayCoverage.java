package meshlog.gatewayapi.coverage;

import static meshlog.gatewayapi.coverage.Applied.MOOT;
import static meshlog.gatewayapi.coverage.Applied.NO;
import static meshlog.gatewayapi.coverage.Applied.YES;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The Gateway ({@code networking.istio.io}) rows of {@link Coverage}: what an Envoy gateway is served of its
 * servers. The Envoy column is the gateway proxy's; proxyless gRPC clients are no gateway (column NO, never
 * warned alone).
 */
final class GatewayCoverage {

    private static final String GW = Coverage.GW;
    private static final String S = "spec.servers[]";
    private static final String TLS = S + ".tls";
    private static final String NOT_GRPC = "";
    private static final String FILES = "file-based certificates are required until Kubernetes Secret discovery"
            + " lands; the server is not served";
    private static final Set<String> L4 = Set.of("TCP", "MONGO", "MYSQL", "REDIS");
    private static final Set<String> UNSERVED_MODES = Set.of("ISTIO_MUTUAL", "AUTO_PASSTHROUGH", "OPTIONAL_MUTUAL");

    private GatewayCoverage() {
    }

    static void rows(List<FieldRow> out) {
        out.add(Coverage.row(GW, "spec.selector", YES, NO, "the gateway pods' labels; Gateways of every namespace"
                + " select (Istio's default); an empty selector selects every gateway"));
        out.add(Coverage.row(GW, S + ".port.number", YES, NO, "listener `0.0.0.0_<number>`"));
        When l4 = (spec, path, value) -> value.isTextual() && L4.contains(value.asText().toUpperCase(Locale.ROOT));
        out.add(Coverage.row(GW, S + ".port.protocol", "HTTP, HTTP2, GRPC, HTTPS, TLS", When.not(l4), YES, NO,
                "HTTPS terminates (SIMPLE, MUTUAL) or passes through; TLS passes through by SNI"));
        out.add(Coverage.no(GW, S + ".port.protocol", "TCP, MONGO, MYSQL, REDIS", l4, "the server is not served"));
        out.add(Coverage.row(GW, S + ".port.name", YES, NO, "names an HTTPS server's route table"
                + " `https.<port>.<name>.<gateway>.<ns>`"));
        out.add(Coverage.row(GW, S + ".hosts", YES, NO, "`ns/host`, wildcards, intersected with VirtualService"
                + " hosts as Istio; SNI of an HTTPS server"));
        When unix = When.startsWith("unix://");
        out.add(Coverage.row(GW, S + ".bind", "an IP address", When.and(When.NON_EMPTY, When.not(unix)), YES, NO,
                "listener `<bind>_<port>` on that address"));
        out.add(Coverage.no(GW, S + ".bind", "a Unix socket", unix, "the server is not served"));
        out.add(Coverage.row(GW, S + ".defaultEndpoint", MOOT, MOOT, "Sidecar ingress only; Istio ignores it on"
                + " a Gateway"));
        out.add(Coverage.row(GW, S + ".name", MOOT, MOOT, "Istio uses it for stats only"));
        out.add(Coverage.row(GW, TLS + ".httpsRedirect", YES, NO, "301 to `https` for every request"));
        When unservedMode = (spec, path, value) -> value.isTextual() && UNSERVED_MODES.contains(value.asText());
        out.add(Coverage.row(GW, TLS + ".mode", "SIMPLE, MUTUAL, PASSTHROUGH", When.not(unservedMode), YES, NO,
                "PASSTHROUGH takes the VirtualServices' `tls[]` routes by `sniHosts`"));
        out.add(Coverage.no(GW, TLS + ".mode", "ISTIO_MUTUAL, AUTO_PASSTHROUGH, OPTIONAL_MUTUAL", unservedMode,
                "the server is not served"));
        for (String f : List.of("serverCertificate", "privateKey", "caCertificates", "caCrl")) {
            out.add(Coverage.row(GW, TLS + "." + f, YES, NO, "a file on the gateway, read by Envoy"));
        }
        for (String f : List.of("subjectAltNames", "verifyCertificateSpki", "verifyCertificateHash")) {
            out.add(Coverage.row(GW, TLS + "." + f, YES, NO, "checked on the client certificate (MUTUAL)"));
        }
        for (String f : List.of("minProtocolVersion", "maxProtocolVersion", "cipherSuites")) {
            out.add(Coverage.row(GW, TLS + "." + f, YES, NO, f.equals("minProtocolVersion")
                    ? "TLSV1_2 when not set, as Istio's gateways" : NOT_GRPC));
        }
        for (String f : List.of("credentialName", "credentialNames", "caCertCredentialName")) {
            out.add(Coverage.no(GW, TLS + "." + f, When.NON_EMPTY, FILES));
        }
        out.add(Coverage.no(GW, TLS + ".tlsCertificates", When.NON_EMPTY, "give one serverCertificate and"
                + " privateKey; the server is not served"));
    }
}
