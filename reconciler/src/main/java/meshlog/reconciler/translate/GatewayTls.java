package meshlog.reconciler.translate;

import meshlog.gatewayapi.model.ServerTlsSettings;
import meshlog.gatewayapi.model.ServerTlsSettings.Mode;
import meshlog.reconciler.ir.ServerTlsIr;

/**
 * A Gateway server's {@code tls} as Envoy terminates it: SIMPLE and MUTUAL with certificates, keys and CA bundles
 * from files on the gateway ({@code serverCertificate}, {@code privateKey}, {@code caCertificates}, {@code caCrl}),
 * client certificate checks ({@code subjectAltNames}, {@code verifyCertificateSpki}, {@code verifyCertificateHash}),
 * protocol versions and cipher suites. Certificates from Kubernetes Secrets ({@code credentialName}) wait for
 * Secret discovery.
 */
final class GatewayTls {

    private static final java.util.regex.Pattern SPKI = java.util.regex.Pattern.compile("[A-Za-z0-9+/]{43}=");
    private static final java.util.regex.Pattern HASH = java.util.regex.Pattern.compile(
            "[0-9A-Fa-f]{64}|[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}");

    private GatewayTls() {
    }

    /** Why {@code tls} of an HTTPS or TLS server is not served (a field path suffix and reason), or null. */
    static String unserved(ServerTlsSettings tls, String protocol) {
        if (!tls.credentialName().isEmpty() || !tls.credentialNames().isEmpty()
                || !tls.caCertCredentialName().isEmpty()) {
            String field = !tls.credentialName().isEmpty() ? ".credentialName"
                    : !tls.credentialNames().isEmpty() ? ".credentialNames" : ".caCertCredentialName";
            return field + ": certificates from Kubernetes Secrets are not served until Secret discovery lands;"
                    + " file-based certificates are required (serverCertificate, privateKey, caCertificates)";
        }
        if (!tls.tlsCertificates().isEmpty()) {
            return ".tlsCertificates: several certificates are not served yet; give one serverCertificate and"
                    + " privateKey";
        }
        if (tls.mode() != Mode.SIMPLE && tls.mode() != Mode.MUTUAL) {
            return ".mode: " + tls.mode() + " is not served yet (SIMPLE, MUTUAL and PASSTHROUGH are)";
        }
        if (!protocol.equals("HTTPS")) {
            return ".mode: terminating TLS on a " + protocol + " server (TCP routes) is not served yet; use"
                    + " protocol HTTPS, or PASSTHROUGH";
        }
        if (tls.serverCertificate().isEmpty() || tls.privateKey().isEmpty()) {
            return ": a server certificate and private key are required";
        }
        if (tls.mode() == Mode.MUTUAL && tls.caCertificates().isEmpty()) {
            return ".caCertificates: MUTUAL needs a CA bundle file for client certificates";
        }
        return tls.mode() == Mode.MUTUAL ? pins(tls) : null;
    }

    /**
     * A pin Envoy cannot read would make it refuse the whole listener; dropping it would admit clients the user
     * meant to keep out. So a server with one is not served (fails closed).
     */
    private static String pins(ServerTlsSettings tls) {
        for (int i = 0; i < tls.verifyCertificateSpki().size(); i++) {
            if (!SPKI.matcher(tls.verifyCertificateSpki().get(i)).matches()) {
                return ".verifyCertificateSpki[" + i + "]: not a base64 SHA-256 (44 characters ending in '=')";
            }
        }
        for (int i = 0; i < tls.verifyCertificateHash().size(); i++) {
            if (!HASH.matcher(tls.verifyCertificateHash().get(i)).matches()) {
                return ".verifyCertificateHash[" + i + "]: not a hex SHA-256 (64 hex digits, colons allowed)";
            }
        }
        return null;
    }

    static ServerTlsIr of(ServerTlsSettings tls) {
        boolean mutual = tls.mode() == Mode.MUTUAL;
        return new ServerTlsIr(tls.serverCertificate(), tls.privateKey(), mutual ? tls.caCertificates() : "",
                mutual, tls.minProtocolVersion().name(), tls.maxProtocolVersion().name(), tls.cipherSuites(),
                mutual ? tls.subjectAltNames() : java.util.List.of(), mutual ? tls.caCrl() : "",
                mutual ? tls.verifyCertificateSpki() : java.util.List.of(),
                mutual ? tls.verifyCertificateHash() : java.util.List.of());
    }
}
