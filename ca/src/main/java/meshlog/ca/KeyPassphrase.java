package meshlog.ca;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The passphrase that encrypts the CA's private keys on disk ({@code --ca-key-passphrase-file}), or none. With one,
 * every key the CA writes is encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}, PBES2: PBKDF2-HMAC-SHA256 and
 * AES-256-CBC), and encrypted keys it reads are decrypted with it. The file is read once; its text is never put in
 * a message.
 */
public final class KeyPassphrase {

    /** Longer than any sane passphrase, short enough that a wrong path (a log, an image) is refused at once. */
    static final int MAX_BYTES = 1024;

    private static final KeyPassphrase NONE = new KeyPassphrase(null, null);

    private final char[] secret;
    private final Path source;

    private KeyPassphrase(char[] secret, Path source) {
        this.secret = secret;
        this.source = source;
    }

    /** No passphrase: keys are written unencrypted (mode 0600), and an encrypted key cannot be read. */
    public static KeyPassphrase none() {
        return NONE;
    }

    /**
     * The first line of {@code file} (UTF-8, without its line end), which must not be empty.
     *
     * @throws IllegalArgumentException naming the file when it is missing, empty, too long or not text
     */
    public static KeyPassphrase fromFile(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException(file + ": a passphrase file holds at most " + MAX_BYTES
                        + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the CA key passphrase file " + file + ": "
                    + e.getClass().getSimpleName());
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        Arrays.fill(bytes, (byte) 0);
        int end = text.indexOf('\n');
        String line = (end < 0 ? text : text.substring(0, end)).replaceAll("\r$", "");
        if (line.isEmpty()) {
            throw new IllegalArgumentException(file + ": the CA key passphrase file is empty (its first line is the"
                    + " passphrase)");
        }
        return new KeyPassphrase(line.toCharArray(), file);
    }

    /** Whether there is a passphrase, so that keys are encrypted. */
    public boolean present() {
        return secret != null;
    }

    /** A copy, for one encryption or decryption. */
    char[] chars() {
        if (secret == null) {
            throw new IllegalStateException("no passphrase");
        }
        return secret.clone();
    }

    /** Where the passphrase came from, for messages: never the passphrase itself. */
    Optional<Path> source() {
        return Optional.ofNullable(source);
    }

    @Override
    public String toString() {
        return secret == null ? "KeyPassphrase[none]" : "KeyPassphrase[from " + source + "]";
    }
}
