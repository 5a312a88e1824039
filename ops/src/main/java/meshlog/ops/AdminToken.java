package meshlog.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The admin bearer token, read from the file {@code --admin-token-file} names; never logged or printed. */
final class AdminToken {

    /** Short tokens can be guessed; {@code openssl rand -hex 32} gives 64 characters. */
    static final int MIN_LENGTH = 16;
    static final int MAX_LENGTH = 4096;

    private AdminToken() {
    }

    /**
     * The file's content without surrounding whitespace (a trailing newline is usual).
     *
     * @throws IllegalArgumentException when the file cannot be read or holds no usable token, naming the file only
     */
    static String read(Path file) {
        String token;
        try (InputStream in = Files.newInputStream(file)) {
            token = new String(in.readNBytes(MAX_LENGTH + 2), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("--admin-token-file " + file + " cannot be read: "
                    + e.getClass().getSimpleName());
        }
        if (token.length() < MIN_LENGTH || token.length() > MAX_LENGTH || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("--admin-token-file " + file + " must hold one token of " + MIN_LENGTH
                    + " to " + MAX_LENGTH + " printable ASCII characters without spaces (e.g. openssl rand -hex 32 > " + file + ")");
        }
        return token;
    }
}
