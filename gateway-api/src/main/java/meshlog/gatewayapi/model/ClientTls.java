package meshlog.gatewayapi.model;

import java.util.List;

/**
 * Istio's {@code ClientTLSSettings}: how a proxy originates TLS to a destination. Strings are empty when not
 * written (as in Istio, where empty means unset); {@code insecureSkipVerify} is null when not written.
 */
public record ClientTls(Mode mode, String clientCertificate, String privateKey, String caCertificates,
                        String credentialName, List<String> subjectAltNames, String sni, Boolean insecureSkipVerify,
                        String caCrl) {

    /** {@code DISABLE} is the default (proto value 0). */
    public enum Mode { DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL }

    public ClientTls {
        mode = mode == null ? Mode.DISABLE : mode;
        clientCertificate = orEmpty(clientCertificate);
        privateKey = orEmpty(privateKey);
        caCertificates = orEmpty(caCertificates);
        credentialName = orEmpty(credentialName);
        subjectAltNames = List.copyOf(subjectAltNames);
        sni = orEmpty(sni);
        caCrl = orEmpty(caCrl);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
