package meshlog.gatewayapi.model;

import java.util.List;

/**
 * Istio's {@code ServerTLSSettings}: how a Gateway server (or a Sidecar ingress listener) terminates or passes TLS.
 * Strings are empty and lists empty when not given; {@code mode} defaults to {@code PASSTHROUGH} and the protocol
 * versions to {@code TLS_AUTO}, the proto's zero values.
 *
 * @param tlsCertificates inline certificate/key pairs (at most two: one RSA, one ECDSA)
 * @param credentialNames up to two Kubernetes secrets holding certificates, like {@code credentialName}
 * @param caCertCredentialName a secret or config map holding only the CA bundle for client certificates
 */
public record ServerTlsSettings(boolean httpsRedirect, Mode mode, String serverCertificate, String privateKey,
                                String caCertificates, String caCrl, String credentialName,
                                List<String> credentialNames, String caCertCredentialName,
                                List<TlsCertificate> tlsCertificates, List<String> subjectAltNames,
                                List<String> verifyCertificateSpki, List<String> verifyCertificateHash,
                                TlsProtocol minProtocolVersion, TlsProtocol maxProtocolVersion,
                                List<String> cipherSuites, boolean insecureSkipVerify) {

    /** {@code PASSTHROUGH} is the proto's zero value, so a {@code tls} block without a mode is passthrough. */
    public enum Mode { PASSTHROUGH, SIMPLE, MUTUAL, AUTO_PASSTHROUGH, ISTIO_MUTUAL, OPTIONAL_MUTUAL }

    public enum TlsProtocol { TLS_AUTO, TLSV1_0, TLSV1_1, TLSV1_2, TLSV1_3 }

    /** One entry of {@code tlsCertificates}; empty strings when not given. */
    public record TlsCertificate(String serverCertificate, String privateKey, String caCertificates) {
        public TlsCertificate {
            serverCertificate = orEmpty(serverCertificate);
            privateKey = orEmpty(privateKey);
            caCertificates = orEmpty(caCertificates);
        }
    }

    public ServerTlsSettings {
        mode = mode == null ? Mode.PASSTHROUGH : mode;
        serverCertificate = orEmpty(serverCertificate);
        privateKey = orEmpty(privateKey);
        caCertificates = orEmpty(caCertificates);
        caCrl = orEmpty(caCrl);
        credentialName = orEmpty(credentialName);
        credentialNames = List.copyOf(credentialNames);
        caCertCredentialName = orEmpty(caCertCredentialName);
        tlsCertificates = List.copyOf(tlsCertificates);
        subjectAltNames = List.copyOf(subjectAltNames);
        verifyCertificateSpki = List.copyOf(verifyCertificateSpki);
        verifyCertificateHash = List.copyOf(verifyCertificateHash);
        minProtocolVersion = minProtocolVersion == null ? TlsProtocol.TLS_AUTO : minProtocolVersion;
        maxProtocolVersion = maxProtocolVersion == null ? TlsProtocol.TLS_AUTO : maxProtocolVersion;
        cipherSuites = List.copyOf(cipherSuites);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
