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
