package meshlog.gitsync.signing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An allow-list file read once, at start, with a bound on its size; its mistakes are {@code FILE:LINE: message}.
 * The message never quotes the file's key material (only line numbers, fingerprints and principals).
 */
final class AllowListFile {

    /** 1 MiB: some thousands of keys, far more than any team's signers; a larger file is most likely not one. */
    static final int MAX_BYTES = 1 << 20;

    private final Path path;
    private final List<String> lines;

    private AllowListFile(Path path, List<String> lines) {
        this.path = path;
        this.lines = lines;
    }

    static AllowListFile read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(path + " does not exist or is not a file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IllegalArgumentException(path + " is larger than " + (MAX_BYTES >> 20) + " MiB");
            }
            return new AllowListFile(path, new String(bytes, StandardCharsets.UTF_8).lines().toList());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    /** The lines, first at index 0 (line 1). */
    List<String> lines() {
        return lines;
    }

    /** A mistake at {@code line} (1-based). */
    IllegalArgumentException error(int line, String message) {
        return new IllegalArgumentException(path + ":" + line + ": " + message);
    }
}
