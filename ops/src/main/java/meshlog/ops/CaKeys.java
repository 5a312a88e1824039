package meshlog.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import meshlog.ca.CertificateAuthority;
import meshlog.ca.KeyPassphrase;

/**
 * Where the CA's signing key comes from, on every command that runs the CA ({@code up}, {@code distributor},
 * {@code injector}): {@code --cacerts DIR}, an operator's CA in Istio's plugged-in layout (istiod's
 * {@code /etc/cacerts}: {@code ca-cert.pem}, {@code ca-key.pem}, {@code root-cert.pem}, {@code cert-chain.pem}),
 * or else meshlog's own root and intermediates in the CA directory; and {@code --ca-key-passphrase-file FILE},
 * which decrypts an encrypted {@code ca-key.pem} and encrypts every key meshlog writes.
 *
 * @param cacerts    null: meshlog's own PKI in the CA directory
 * @param passphrase {@link KeyPassphrase#none()} without the flag; read once, at parse
 */
record CaKeys(Path cacerts, KeyPassphrase passphrase) {

    static final Set<String> FLAGS = Set.of("cacerts", "ca-key-passphrase-file");
    /** meshlog's own PKI, keys unencrypted (mode 0600). */
    static final CaKeys OWN = new CaKeys(null, KeyPassphrase.none());

    CaKeys {
        passphrase = passphrase == null ? KeyPassphrase.none() : passphrase;
    }

    /** The two flags; the passphrase file is read now, so a wrong path stops the command before anything starts. */
    static CaKeys parse(Flags f) {
        Path cacerts = null;
        if (f.has("cacerts")) {
            cacerts = Path.of(f.get("cacerts", ""));
            if (!Files.isDirectory(cacerts)) {
                throw new Flags.UsageException("--cacerts " + cacerts + " is not a directory (it holds ca-cert.pem,"
                        + " ca-key.pem, root-cert.pem and cert-chain.pem, as istiod's /etc/cacerts)");
            }
        }
        KeyPassphrase passphrase = KeyPassphrase.none();
        Path file = f.existingFile("ca-key-passphrase-file");
        if (file != null) {
            try {
                passphrase = KeyPassphrase.fromFile(file);
            } catch (IllegalArgumentException e) {
                throw new Flags.UsageException(e.getMessage());
            }
        }
        return new CaKeys(cacerts, passphrase);
    }

    /**
     * The CA: the plugged one (the files checked now; an error names the file and what is wrong), or meshlog's own
     * in {@code caDir} (created on first use; a key the passphrase does not decrypt is an error naming the file).
     * {@code caDir} also keeps the join tokens' key either way.
     */
    CertificateAuthority open(Path caDir, Clock clock) {
        return cacerts != null
                ? CertificateAuthority.plugged(cacerts, "cluster.local", clock, passphrase)
                : CertificateAuthority.open(caDir, "cluster.local", clock, passphrase);
    }

    /** For the start-up log line: where the keys are, never anything of them. */
    String describe(Path caDir) {
        return (cacerts != null ? "plugged-in CA " + cacerts.toAbsolutePath().normalize() : "own root in " + caDir)
                + (passphrase.present() ? ", keys encrypted" : "");
    }
}
