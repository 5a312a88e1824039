package meshlog.ca;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A CA plugged in from Istio's {@code cacerts} layout: {@code ca-cert.pem} (the signing certificate),
 * {@code ca-key.pem} (its key, PKCS#8 or SEC1, encrypted PKCS#8 with a passphrase), {@code root-cert.pem} (the
 * roots workloads trust: one, or several while a root rotates) and {@code cert-chain.pem} ({@code ca-cert.pem}
 * first, then every intermediate, up to and optionally including the root). Workload certificates are signed by
 * {@code ca-cert.pem} directly, as Istio's CA signs them; the plugged key never leaves this process.
 *
 * @param signer       the signing certificate and key
 * @param issuerChain  the signer and the intermediates above it, without any root: what follows a leaf
 * @param roots        the certificates of {@code root-cert.pem}, the trust bundle
 */
record PluggedCa(SigningIdentity signer, List<X509Certificate> issuerChain, List<X509Certificate> roots) {

    static final String CA_CERT = "ca-cert.pem";
    static final String CA_KEY = "ca-key.pem";
    static final String ROOT_CERT = "root-cert.pem";
    static final String CERT_CHAIN = "cert-chain.pem";

    PluggedCa {
        issuerChain = List.copyOf(issuerChain);
        roots = List.copyOf(roots);
    }

    /**
     * Reads and checks the four files: every certificate a CA and valid at {@code now}, the key that of
     * {@code ca-cert.pem}, {@code cert-chain.pem} starting at {@code ca-cert.pem} and each certificate signed by the
     * next, the last signed by (or equal to) a root of {@code root-cert.pem}, which are self-signed.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    static PluggedCa load(Path dir, KeyPassphrase passphrase, Instant now) {
        Path caCert = existing(dir, CA_CERT);
        Path caKey = existing(dir, CA_KEY);
        Path rootCert = existing(dir, ROOT_CERT);
        Path certChain = existing(dir, CERT_CHAIN);
        X509Certificate signer = single(caCert);
        checkCa(signer, caCert, now);
        SigningIdentity identity;
        try {
            identity = new SigningIdentity(signer, Pem.parsePrivateKey(CaDirectory.read(caKey), caKey.toString(),
                    passphrase));
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        if (!KeyPairs.matches(identity.privateKey(), signer.getPublicKey())) {
            throw new IllegalArgumentException(caKey + ": the key does not belong to the certificate in " + caCert);
        }
        List<X509Certificate> roots = all(rootCert);
        for (int i = 0; i < roots.size(); i++) {
            X509Certificate root = roots.get(i);
            String where = rootCert + " (certificate " + (i + 1) + " of " + roots.size() + ")";
            checkCa(root, where, now);
            if (!signedBy(root, root)) {
                throw new IllegalArgumentException(where + ": a root must be self-signed; "
                        + root.getSubjectX500Principal().getName() + " is issued by "
                        + root.getIssuerX500Principal().getName());
            }
        }
        return new PluggedCa(identity, issuerChain(certChain, signer, roots, now), roots);
    }

    /**
     * What signs every cluster's certificates: {@code ca-cert.pem}, followed in chains by the rest of
     * {@code cert-chain.pem} and ending at the root of {@code root-cert.pem} that signed it.
     */
    Issuer issuer() {
        X509Certificate top = issuerChain.isEmpty() ? signer.certificate() : issuerChain.get(issuerChain.size() - 1);
        X509Certificate root = roots.contains(top) ? top
                : roots.stream().filter(r -> signedBy(top, r)).findFirst().orElseThrow();
        return new Issuer(signer, issuerChain.stream().map(Pem::certificate).toList(), Pem.certificate(root));
    }

    /** Every root of {@code root-cert.pem}, as PEM: what workloads trust (two roots while one rotates). */
    String trustBundlePem() {
        return String.join("", roots.stream().map(Pem::certificate).toList());
    }

    /** The chain from cert-chain.pem without its roots, checked link by link up to a root of the bundle. */
    private static List<X509Certificate> issuerChain(Path file, X509Certificate signer, List<X509Certificate> roots,
                                                     Instant now) {
        List<X509Certificate> chain = all(file);
        if (!chain.get(0).equals(signer)) {
            throw new IllegalArgumentException(file + ": the first certificate must be ca-cert.pem's ("
                    + signer.getSubjectX500Principal().getName() + "), found "
                    + chain.get(0).getSubjectX500Principal().getName());
        }
        List<X509Certificate> issuers = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate cert = chain.get(i);
            String where = file + " (certificate " + (i + 1) + " of " + chain.size() + ")";
            checkCa(cert, where, now);
            if (roots.contains(cert)) {
                if (i != chain.size() - 1) {
                    throw new IllegalArgumentException(where + ": the root must be the chain's last certificate");
                }
                return issuers;
            }
            issuers.add(cert);
            if (i + 1 < chain.size() && !signedBy(cert, chain.get(i + 1))) {
                throw new IllegalArgumentException(where + ": " + cert.getSubjectX500Principal().getName()
                        + " is not signed by the next certificate, " + chain.get(i + 1).getSubjectX500Principal()
                        .getName());
            }
        }
        X509Certificate last = chain.get(chain.size() - 1);
        if (roots.stream().noneMatch(root -> signedBy(last, root))) {
            throw new IllegalArgumentException(file + ": the chain does not end at a root of root-cert.pem: its last"
                    + " certificate, " + last.getSubjectX500Principal().getName() + ", is issued by "
                    + last.getIssuerX500Principal().getName() + ", which no root in root-cert.pem signed");
        }
        return issuers;
    }

    private static void checkCa(X509Certificate cert, Object where, Instant now) {
        String subject = cert.getSubjectX500Principal().getName();
        if (cert.getBasicConstraints() < 0) {
            throw new IllegalArgumentException(where + ": " + subject + " is not a CA certificate (basic"
                    + " constraints CA:TRUE missing)");
        }
        boolean[] usage = cert.getKeyUsage();
        if (usage != null && !usage[5]) {
            throw new IllegalArgumentException(where + ": " + subject + " may not sign certificates (key usage"
                    + " keyCertSign missing)");
        }
        if (cert.getNotAfter().toInstant().isBefore(now) || cert.getNotBefore().toInstant().isAfter(now)) {
            throw new IllegalArgumentException(where + ": " + subject + " is not valid now (valid "
                    + cert.getNotBefore().toInstant() + " to " + cert.getNotAfter().toInstant() + ")");
        }
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        try {
            cert.verify(issuer.getPublicKey());
            return cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Path existing(Path dir, String name) {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": missing; --cacerts DIR needs ca-cert.pem, ca-key.pem,"
                    + " root-cert.pem and cert-chain.pem (Istio's cacerts layout)");
        }
        return file;
    }

    private static X509Certificate single(Path file) {
        List<X509Certificate> certs = all(file);
        if (certs.size() != 1) {
            throw new IllegalArgumentException(file + ": expected one certificate, found " + certs.size());
        }
        return certs.get(0);
    }

    private static List<X509Certificate> all(Path file) {
        List<X509Certificate> certs;
        try {
            certs = Pem.parseCertificates(CaDirectory.read(file), file.toString());
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException(file + ": no PEM CERTIFICATE found");
        }
        return certs;
    }
}
