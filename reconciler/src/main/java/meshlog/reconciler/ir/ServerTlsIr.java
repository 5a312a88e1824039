package meshlog.reconciler.ir;

import java.util.List;

/**
 * How a gateway server terminates TLS, with certificates read by Envoy from files on the gateway's disk.
 *
 * @param certificateChain path of the PEM server certificate chain ({@code serverCertificate})
 * @param privateKey path of the PEM private key ({@code privateKey})
 * @param clientCa path of the PEM CA bundle client certificates must chain to; empty for SIMPLE TLS
 * @param requireClientCertificate MUTUAL: a client without a valid certificate is refused in the handshake
 * @param minVersion {@code TLSV1_2} etc., or {@code TLS_AUTO} for Envoy's default
 * @param maxVersion likewise
 * @param cipherSuites OpenSSL/BoringSSL names in order; empty for Envoy's defaults
 * @param subjectAltNames client certificate SANs accepted (exact); empty for any
 * @param crl path of a PEM certificate revocation list for client certificates; empty for none
 * @param spkiPins base64 SHA-256 SPKI pins a client certificate must match one of; empty for any
 * @param certificateHashes hex SHA-256 hashes a client certificate must match one of; empty for any
 */
public record ServerTlsIr(String certificateChain, String privateKey, String clientCa,
                          boolean requireClientCertificate, String minVersion, String maxVersion,
                          List<String> cipherSuites, List<String> subjectAltNames, String crl,
                          List<String> spkiPins, List<String> certificateHashes) {
    public ServerTlsIr {
        cipherSuites = List.copyOf(cipherSuites);
        subjectAltNames = List.copyOf(subjectAltNames);
        spkiPins = List.copyOf(spkiPins);
        certificateHashes = List.copyOf(certificateHashes);
    }
}
