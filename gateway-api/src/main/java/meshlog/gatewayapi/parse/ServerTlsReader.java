package meshlog.gatewayapi.parse;

import meshlog.gatewayapi.model.ListenerPort;
import meshlog.gatewayapi.model.ServerTlsSettings;
import meshlog.gatewayapi.model.ServerTlsSettings.Mode;
import meshlog.gatewayapi.model.ServerTlsSettings.TlsCertificate;
import meshlog.gatewayapi.model.ServerTlsSettings.TlsProtocol;

/** Reads the parts Gateway servers and Sidecar listeners share: a listener's {@code port} and its {@code tls}. */
final class ServerTlsReader {

    private ServerTlsReader() {
    }

    /** A {@code port} object, or null when it is absent. Ends {@code p}. */
    static ListenerPort port(Fields p) {
        if (p == null) {
            return null;
        }
        ListenerPort port = new ListenerPort(p.integer("number", 0), p.string("protocol"), p.string("name"),
                p.integer("targetPort", 0));
        p.end();
        return port;
    }

    /** A {@code tls} object ({@code ServerTLSSettings}), or null when it is absent. Ends {@code t}. */
    static ServerTlsSettings tls(Fields t) {
        if (t == null) {
            return null;
        }
        ServerTlsSettings tls = new ServerTlsSettings(
                Boolean.TRUE.equals(t.bool("httpsRedirect")),
                EnumField.read(t, "mode", Mode.class, Mode.PASSTHROUGH),
                t.string("serverCertificate"),
                t.string("privateKey"),
                t.string("caCertificates"),
                t.string("caCrl"),
                t.string("credentialName"),
                t.strings("credentialNames"),
                t.string("caCertCredentialName"),
                t.objects("tlsCertificates", (c, i) -> new TlsCertificate(c.string("serverCertificate"),
                        c.string("privateKey"), c.string("caCertificates"))),
                t.strings("subjectAltNames"),
                t.strings("verifyCertificateSpki"),
                t.strings("verifyCertificateHash"),
                EnumField.read(t, "minProtocolVersion", TlsProtocol.class, TlsProtocol.TLS_AUTO),
                EnumField.read(t, "maxProtocolVersion", TlsProtocol.class, TlsProtocol.TLS_AUTO),
                t.strings("cipherSuites"),
                Boolean.TRUE.equals(t.bool("insecureSkipVerify")));
        t.end();
        return tls;
    }
}
