package meshlog.agent;

import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import meshlog.ca.Pem;
import meshlog.caserver.CertificateClient;
import meshlog.caserver.ServingTls;

/**
 * Gets a certificate for a key generated here: a CSR to the CA's {@code CreateCertificate}, authenticated by the
 * current certificate once there is one (renewal), else by the token file or the join token. A join token is
 * one-time: after the first certificate it is never sent again.
 */
final class CertificateSource {

    /** A token file is a few KiB (a JWT); a bigger one is not a token. */
    private static final long MAX_TOKEN_BYTES = 64 * 1024;

    private final AgentOptions options;
    private volatile String roots;
    private final java.time.Clock clock;

    CertificateSource(AgentOptions options, java.time.Clock clock) throws IOException {
        this.options = options;
        this.clock = clock;
        this.roots = readRoots(); // unreadable roots stop the start, naming nothing secret
    }

    /**
     * {@code --root-cert}, read again for every certificate: during a root rotation the operator adds the new root
     * to it, and the next renewal serves both as {@code ROOTCA} without a restart.
     */
    private String readRoots() throws IOException {
        String text = Files.readString(options.rootCertFile(), StandardCharsets.US_ASCII);
        try {
            ServingTls.certificates(text);
        } catch (RuntimeException e) {
            throw new IOException(options.rootCertFile() + ": " + e.getMessage(), e);
        }
        return text;
    }

    /**
     * A fresh key and its certificate.
     *
     * @param current the certificate to authenticate with, or null for the first one
     * @throws StatusRuntimeException with the CA's reason when it refuses
     */
    Credentials issue(Credentials current) throws IOException {
        String roots = readRoots();
        this.roots = roots;
        KeyPair keys = options.keyAlgorithm().generate();
        String keyPem = Pem.privateKey(keys.getPrivate());
        String bearer = current == null ? bearer() : null;
        try (CertificateClient client = new CertificateClient(options.caHost(), options.caPort(), roots,
                current == null ? null : current.certificateChainPem(),
                current == null ? null : current.privateKeyPem())) {
            List<String> chain = client.create(Csr.pem(keys, options.keyAlgorithm()), options.certTtl().toSeconds(),
                    bearer, options.cluster());
            var leaf = ServingTls.certificates(chain.get(0))[0];
            // Leaf and intermediate for TLS; the root is served as ROOTCA from the trusted file, not from the answer.
            String servedChain = String.join("", chain.subList(0, Math.max(1, chain.size() - 1)));
            return new Credentials(servedChain, keyPem, roots, spiffeId(leaf), clock.instant(),
                    leaf.getNotAfter().toInstant());
        }
    }

    String roots() {
        return roots;
    }

    private String bearer() throws IOException {
        var file = options.tokenFile() != null ? options.tokenFile() : options.joinTokenFile();
        if (Files.size(file) > MAX_TOKEN_BYTES) {
            throw new IOException(file + " is larger than " + MAX_TOKEN_BYTES + " bytes: not a token");
        }
        return Files.readString(file, StandardCharsets.US_ASCII).strip();
    }

    private static String spiffeId(java.security.cert.X509Certificate leaf) {
        try {
            for (List<?> san : leaf.getSubjectAlternativeNames()) {
                if (Integer.valueOf(6).equals(san.get(0))) {
                    return String.valueOf(san.get(1));
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            throw new IllegalStateException("the CA returned a certificate whose SANs cannot be read");
        }
        throw new IllegalStateException("the CA returned a certificate without a SPIFFE ID");
    }

    static boolean expired(Credentials c, Instant now) {
        return !now.isBefore(c.notAfter());
    }
}
