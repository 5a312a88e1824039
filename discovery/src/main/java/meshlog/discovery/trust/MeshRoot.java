package meshlog.discovery.trust;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import meshlog.configstore.LogSafe;

/**
 * The mesh root as a PEM file ({@code root-cert.pem} of the CA directory or of the {@code meshlog-ca} Secret): read
 * whole, bounded, and checked to be X.509 certificates before anything is written from it, so a wrong file never
 * lands in every namespace.
 */
public final class MeshRoot {

    static final long MAX_BYTES = 1 << 20;

    private MeshRoot() {
    }

    /** @throws IllegalArgumentException naming the file and what is wrong with it */
    public static String read(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException(where(file) + "larger than " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(where(file) + "cannot be read: " + LogSafe.value(e.getMessage()), e);
        }
        String pem = new String(bytes, StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException(where(file) + "no PEM CERTIFICATE block");
        }
        try {
            if (CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))
                    .isEmpty()) {
                throw new IllegalArgumentException(where(file) + "no certificate");
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException(where(file) + "not X.509 certificates: "
                    + LogSafe.value(e.getMessage()), e);
        }
        return pem;
    }

    private static String where(Path file) {
        return "root certificate " + LogSafe.value(file) + ": ";
    }
}
