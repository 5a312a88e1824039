package meshlog.gatewayapi.validate;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import meshlog.gatewayapi.model.ServerTlsSettings;
import meshlog.gatewayapi.model.ServerTlsSettings.Mode;
import meshlog.gatewayapi.model.ServerTlsSettings.TlsCertificate;
import meshlog.gatewayapi.model.ServerTlsSettings.TlsProtocol;

/**
 * Istio's {@code validateTLSOptions}: the rules on a {@code ServerTLSSettings}, shared by Gateway servers and Sidecar
 * ingress listeners. The codes are {@code <prefix>01xx} with the same number meaning the same rule for either kind
 * ({@code GW0107} and {@code SC0107}: a server certificate is missing).
 */
final class ServerTlsRules {

    static final int MAX_CERTIFICATES = 2;

    private ServerTlsRules() {
    }

    static void check(ServerTlsSettings tls, String path, String prefix, Findings f) {
        ciphers(tls, path, prefix, f);
        if (tls.credentialNames().size() > MAX_CERTIFICATES) {
            f.error(prefix + "0112", path + ".credentialNames", "at most " + MAX_CERTIFICATES
                    + " credential names (one RSA, one ECDSA certificate), got " + tls.credentialNames().size());
        }
        if (tls.mode() == Mode.ISTIO_MUTUAL) {
            istioMutual(tls, path, prefix, f);
            return;
        }
        if ((tls.mode() == Mode.PASSTHROUGH || tls.mode() == Mode.AUTO_PASSTHROUGH) && hasCertificates(tls)) {
            f.warning(prefix + "0105", path + ".mode", tls.mode() + " does not terminate TLS: the certificates,"
                    + " keys, CA and credentials given are ignored");
        }
        int sources = (!tls.serverCertificate().isEmpty() && !tls.privateKey().isEmpty() ? 1 : 0)
                + (tls.credentialName().isEmpty() ? 0 : 1) + (tls.credentialNames().isEmpty() ? 0 : 1)
                + (tls.tlsCertificates().isEmpty() ? 0 : 1);
        if (sources > 1) {
            f.error(prefix + "0106", path, "only one of credentialName, credentialNames, serverCertificate/privateKey"
                    + " and tlsCertificates may be given");
        }
        boolean fromSecret = !tls.credentialName().isEmpty() || !tls.credentialNames().isEmpty();
        if (terminates(tls.mode()) && fromSecret) {
            // Istio accepts this and takes everything from the secret; meshlog says the CRL file is not used
            if (!tls.caCrl().isEmpty()) {
                f.warning(prefix + "0113", path + ".caCrl", "caCrl is ignored when certificates come from"
                        + " credentialName(s): put the CRL in the credential (key ca.crl) instead");
            }
            return;
        }
        if (terminates(tls.mode())) {
            certificates(tls, path, prefix, f);
        }
        if (!tls.caCrl().isEmpty() && !tls.credentialName().isEmpty()) {
            f.error(prefix + "0110", path + ".caCrl", "a CRL cannot be given with credentialName: put it in the"
                    + " credential (key ca.crl) instead");
        }
        if (!tls.caCrl().isEmpty() && tls.mode() == Mode.SIMPLE) {
            f.error(prefix + "0111", path + ".caCrl", "a CRL is not supported with SIMPLE TLS (no client"
                    + " certificates are checked); use MUTUAL or remove caCrl");
        }
    }

    private static void ciphers(ServerTlsSettings tls, String path, String prefix, Findings f) {
        TlsProtocol min = tls.minProtocolVersion();
        if ((min == TlsProtocol.TLSV1_0 || min == TlsProtocol.TLSV1_1) && tls.cipherSuites().isEmpty()) {
            f.warning(prefix + "0101", path + ".minProtocolVersion", "TLS versions below TLSV1_2 need cipherSuites"
                    + " set: the default ciphers no longer include ones they can use");
        }
        Set<String> seen = new HashSet<>();
        List<String> ciphers = tls.cipherSuites();
        for (int i = 0; i < ciphers.size(); i++) {
            String c = ciphers.get(i);
            if (!ListenerChecks.isValidCipherSuite(c)) {
                f.warning(prefix + "0102", path + ".cipherSuites[" + i + "]", "unknown cipher suite \"" + c
                        + "\" is ignored");
            } else if (!seen.add(c)) {
                f.warning(prefix + "0103", path + ".cipherSuites[" + i + "]", "cipher suite \"" + c
                        + "\" is listed twice; the repeat is ignored");
            }
        }
    }

    /** ISTIO_MUTUAL uses the workload certificate Istio issues: any other certificate source is a mistake. */
    private static void istioMutual(ServerTlsSettings tls, String path, String prefix, Findings f) {
        String[][] given = {
            {"serverCertificate", tls.serverCertificate()}, {"privateKey", tls.privateKey()},
            {"caCertificates", tls.caCertificates()}, {"caCertCredentialName", tls.caCertCredentialName()},
            {"credentialName", tls.credentialName()},
            {"credentialNames", tls.credentialNames().isEmpty() ? "" : "set"},
            {"tlsCertificates", tls.tlsCertificates().isEmpty() ? "" : "set"}};
        for (String[] g : given) {
            if (!g[1].isEmpty()) {
                f.error(prefix + "0104", path + "." + g[0], "ISTIO_MUTUAL uses the certificates Istio issues to the"
                        + " proxy; " + g[0] + " must not be set");
            }
        }
    }

    /** SIMPLE and MUTUAL with certificates from files: every certificate needs its key; MUTUAL a client CA. */
    private static void certificates(ServerTlsSettings tls, String path, String prefix, Findings f) {
        String label = tls.mode() == Mode.SIMPLE ? "SIMPLE TLS" : tls.mode() + " TLS";
        if (tls.mode() != Mode.SIMPLE && tls.caCertificates().isEmpty() && tls.caCertCredentialName().isEmpty()) {
            f.error(prefix + "0109", path + ".caCertificates", label + " needs a CA bundle to check client"
                    + " certificates (caCertificates or caCertCredentialName)");
        }
        if (tls.tlsCertificates().size() > MAX_CERTIFICATES) {
            // Istio's webhook only warns here; its CRD schema says maxItems 2, which kubectl enforces
            f.warning(prefix + "0114", path + ".tlsCertificates", label + " supports up to " + MAX_CERTIFICATES
                    + " server certificates (one RSA, one ECDSA), got " + tls.tlsCertificates().size()
                    + "; Istio's webhook accepts this with a warning, but its CRD schema (maxItems: 2) makes"
                    + " kubectl refuse it");
        }
        List<TlsCertificate> certs = tls.tlsCertificates().isEmpty()
                ? List.of(new TlsCertificate(tls.serverCertificate(), tls.privateKey(), ""))
                : tls.tlsCertificates();
        for (int i = 0; i < certs.size(); i++) {
            String at = tls.tlsCertificates().isEmpty() ? path : path + ".tlsCertificates[" + i + "]";
            if (certs.get(i).serverCertificate().isEmpty()) {
                f.error(prefix + "0107", at + ".serverCertificate", label + " needs a server certificate (or a"
                        + " credentialName)");
            }
            if (certs.get(i).privateKey().isEmpty()) {
                f.error(prefix + "0108", at + ".privateKey", label + " needs a private key (or a credentialName)");
            }
        }
    }

    private static boolean terminates(Mode mode) {
        return mode == Mode.SIMPLE || mode == Mode.MUTUAL || mode == Mode.OPTIONAL_MUTUAL;
    }

    private static boolean hasCertificates(ServerTlsSettings tls) {
        return !tls.caCrl().isEmpty() || !tls.serverCertificate().isEmpty() || !tls.privateKey().isEmpty()
                || !tls.caCertificates().isEmpty() || !tls.tlsCertificates().isEmpty()
                || !tls.credentialName().isEmpty() || !tls.credentialNames().isEmpty();
    }
}
