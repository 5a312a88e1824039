package meshlog.reconciler.translate;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import meshlog.gatewayapi.model.Gateway;
import meshlog.gatewayapi.model.ServerTlsSettings;
import meshlog.gatewayapi.model.ServerTlsSettings.Mode;
import meshlog.reconciler.ir.ServerTlsIr;
import meshlog.reconciler.ir.ServiceIr;
import meshlog.reconciler.ir.TranslationNote;

/**
 * One server of a Gateway that selects the proxy, as meshlog serves it: plain HTTP, HTTPS terminated with
 * certificates from files, or TLS passed through by SNI. {@link #of} says (noted) why a server is not served.
 *
 * @param index the server's index in {@code spec.servers}
 * @param tls the terminated TLS; null unless {@link Kind#TERMINATED}
 */
record GatewayServer(Gateway gateway, int index, Gateway.Server server, Kind kind, ServerTlsIr tls) {

    enum Kind { PLAIN, TERMINATED, PASSTHROUGH }

    private static final Set<String> HTTP = Set.of("HTTP", "HTTP2", "GRPC", "GRPC-WEB");
    private static final Set<String> TLS = Set.of("HTTPS", "TLS");

    int port() {
        return server.port().number();
    }

    /** The address the server's listener binds: its {@code bind}, else every address ({@code 0.0.0.0}). */
    String address() {
        return server.bind().isEmpty() ? "0.0.0.0" : server.bind();
    }

    String path() {
        return "spec.servers[" + index + "]";
    }

    String origin() {
        return "Gateway " + GatewayBinding.ref(gateway);
    }

    /** Whether plain-text HTTP is answered with a redirect to HTTPS ({@code tls.httpsRedirect}). */
    boolean httpsRedirect() {
        return kind == Kind.PLAIN && server.tls() != null && server.tls().httpsRedirect();
    }

    /** The route table of an HTTPS server, named as Istio's: {@code https.<port>.<portName>.<gateway>.<ns>}. */
    String httpsRouteTable() {
        return "https." + port() + "." + server.port().name() + "." + gateway.metadata().name() + "."
                + gateway.metadata().namespace();
    }

    /**
     * What the server's routes are translated for ({@link HttpRouteTranslator}, {@link DestinationResolver}): a
     * service whose host is the Gateway's {@code <ns>/<name>} (which a match's {@code gateways} is compared with)
     * and whose port is the server's (which a match's {@code port} is compared with).
     */
    ServiceIr asRouteContext() {
        return new ServiceIr(GatewayBinding.ref(gateway), port(), server.port().name(), server.port().protocol(),
                origin(), List.of());
    }

    /** The server as served, or null (noted) when meshlog does not serve it as written. */
    static GatewayServer of(Gateway gw, int index, List<TranslationNote> notes) {
        Gateway.Server s = gw.servers().get(index);
        String at = "spec.servers[" + index + "]";
        String origin = "Gateway " + GatewayBinding.ref(gw);
        if (s.port() == null || s.port().number() == 0) {
            notes.add(new TranslationNote(origin, at + ".port: a server without a port number is not served"));
            return null;
        }
        if (s.bind().startsWith("unix://")) {
            notes.add(new TranslationNote(origin, at + ".bind: Unix domain sockets are not served yet; server not"
                    + " served"));
            return null;
        }
        String protocol = s.port().protocol().toUpperCase(Locale.ROOT);
        ServerTlsSettings tls = s.tls();
        if (HTTP.contains(protocol)) {
            return new GatewayServer(gw, index, s, Kind.PLAIN, null);
        }
        if (!TLS.contains(protocol) || tls == null) {
            notes.add(new TranslationNote(origin, at + ".port.protocol: " + s.port().protocol() + " servers are not"
                    + " served yet (HTTP, HTTP2, GRPC, HTTPS and TLS passthrough are); server not served"));
            return null;
        }
        if (tls.mode() == Mode.PASSTHROUGH) {
            return new GatewayServer(gw, index, s, Kind.PASSTHROUGH, null);
        }
        String why = GatewayTls.unserved(tls, protocol);
        if (why != null) {
            notes.add(new TranslationNote(origin, at + ".tls" + why + "; server not served"));
            return null;
        }
        return new GatewayServer(gw, index, s, Kind.TERMINATED, GatewayTls.of(tls));
    }
}
