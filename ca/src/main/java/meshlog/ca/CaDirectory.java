package meshlog.ca;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The thin edge to the file system. Layout: {@code root-cert.pem}, {@code root-key.pem},
 * {@code clusters/<cluster>/ca-cert.pem}, {@code clusters/<cluster>/ca-key.pem}; for join tokens
 * {@code join-tokens/hmac-key} and {@code join-tokens/used/<expiry>-<id>}.
 *
 * <p>Every file is written to a temporary file, flushed to disk and then renamed over the target, so a crash leaves
 * either the old or the new content, never half a key. Key files (and the temporary files holding them) are created
 * with mode 0600 where the file system supports POSIX permissions. The key is written before the certificate:
 * a certificate on disk always has its key next to it, unless a crash came between the two renames.
 */
final class CaDirectory {

    private static final String ROOT_CERT = "root-cert.pem";
    private static final String ROOT_KEY = "root-key.pem";
    private static final String CA_CERT = "ca-cert.pem";
    private static final String CA_KEY = "ca-key.pem";
    private static final String JOIN_TOKENS = "join-tokens";

    private final Path dir;
    private final KeyPassphrase passphrase;

    CaDirectory(Path dir) {
        this(dir, KeyPassphrase.none());
    }

    /** With a passphrase, keys are written encrypted; keys read may be either (a directory from before the flag). */
    CaDirectory(Path dir, KeyPassphrase passphrase) {
        this.dir = dir.toAbsolutePath().normalize();
        this.passphrase = passphrase;
    }

    Path path() {
        return dir;
    }

    /**
     * The root, or empty when there is no root certificate yet (a key without a certificate is what a crash during
     * creation leaves; it is overwritten). A certificate without its key cannot sign anything: that is an error.
     */
    Optional<SigningIdentity> loadRoot() {
        Path cert = dir.resolve(ROOT_CERT);
        Path key = dir.resolve(ROOT_KEY);
        if (!Files.exists(cert)) {
            return Optional.empty();
        }
        if (!Files.exists(key)) {
            throw new IllegalStateException(cert + " exists but " + key + " does not: cannot sign with this root");
        }
        return Optional.of(load(cert, key));
    }

    void saveRoot(SigningIdentity root) {
        save(dir, ROOT_CERT, ROOT_KEY, root);
    }

    /** The cluster's intermediate as stored, or empty when either of its files is missing. */
    Optional<SigningIdentity> loadCluster(String cluster) {
        Path clusterDir = clusterDir(cluster);
        Path cert = clusterDir.resolve(CA_CERT);
        Path key = clusterDir.resolve(CA_KEY);
        if (!Files.exists(cert) || !Files.exists(key)) {
            return Optional.empty();
        }
        return Optional.of(load(cert, key));
    }

    void saveCluster(String cluster, SigningIdentity intermediate) {
        save(clusterDir(cluster), CA_CERT, CA_KEY, intermediate);
    }

    /**
     * The join tokens' HMAC key ({@code join-tokens/hmac-key}, 32 random bytes in base64, mode 0600), created on
     * first use. Two processes creating it at once: the rename makes one win, and both then read the winner's.
     */
    byte[] joinTokenKey() {
        Path dirPath = dir.resolve(JOIN_TOKENS);
        Path key = dirPath.resolve("hmac-key");
        try {
            if (!Files.exists(key)) {
                createDirectories(dirPath);
                byte[] fresh = new byte[32];
                new java.security.SecureRandom().nextBytes(fresh);
                Path temp = createTemp(dirPath, "hmac-key", "rw-------");
                try {
                    write(temp, java.util.Base64.getEncoder().encodeToString(fresh) + "\n");
                    // A hard link, not a rename: it fails when the key exists, and a key another process already
                    // wrote must stay (tokens signed with it may be out).
                    Files.createLink(key, temp);
                    syncDirectory(dirPath);
                } catch (FileAlreadyExistsException raced) {
                    // The other process won; read its key below.
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
            return java.util.Base64.getDecoder().decode(Files.readString(key, StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + key, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(key + " is not base64: delete it to make a new key (issued join"
                    + " tokens then stop working)");
        }
    }

    /**
     * Records a join token as used: creates {@code join-tokens/used/<name>}, which fails when it exists, so of two
     * redemptions (even in two processes on one directory) exactly one returns true.
     */
    boolean markUsed(String name) {
        Path used = dir.resolve(JOIN_TOKENS).resolve("used");
        try {
            createDirectories(used);
            Files.createFile(used.resolve(name));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record a used join token in " + used, e);
        }
    }

    boolean isUsed(String name) {
        return Files.exists(dir.resolve(JOIN_TOKENS).resolve("used").resolve(name));
    }

    /** The names in {@code join-tokens/used/}. */
    List<String> usedTokens() {
        Path used = dir.resolve(JOIN_TOKENS).resolve("used");
        if (!Files.isDirectory(used)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(used)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + used, e);
        }
    }

    /** Deletes a used-token record (one whose token has expired, so it can never be presented again). */
    void forgetUsed(String name) {
        try {
            Files.deleteIfExists(dir.resolve(JOIN_TOKENS).resolve("used").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete a used join token record", e);
        }
    }

    /** Names of the sub-directories of {@code clusters/}, valid cluster names only (stray entries are skipped). */
    List<String> clusters() {
        Path clusters = dir.resolve("clusters");
        if (!Files.isDirectory(clusters)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> entries = Files.list(clusters)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (Files.isDirectory(entry) && isClusterName(name)) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + clusters, e);
        }
        names.sort(null);
        return names;
    }

    private Path clusterDir(String cluster) {
        return dir.resolve("clusters").resolve(Names.cluster(cluster));
    }

    private static boolean isClusterName(String name) {
        try {
            Names.cluster(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private SigningIdentity load(Path cert, Path key) {
        String keyText = read(key);
        SigningIdentity identity = new SigningIdentity(Pem.parseCertificate(read(cert), cert.toString()),
                Pem.parsePrivateKey(keyText, key.toString(), passphrase));
        if (passphrase.present() && !keyText.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            // A directory from before --ca-key-passphrase-file: with the flag, no key stays readable as is.
            try {
                writeAtomically(key, Pem.privateKey(identity.privateKey(), passphrase), "rw-------");
                syncDirectory(key.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot rewrite " + key + " encrypted", e);
            }
        }
        return identity;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void save(Path target, String certName, String keyName, SigningIdentity identity) {
        try {
            createDirectories(target);
            writeAtomically(target.resolve(keyName), Pem.privateKey(identity.privateKey(), passphrase), "rw-------");
            writeAtomically(target.resolve(certName), Pem.certificate(identity.certificate()), "rw-r--r--");
            syncDirectory(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the CA files in " + target, e);
        }
    }

    private static void createDirectories(Path target) throws IOException {
        try {
            Files.createDirectories(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(target);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(target + " exists and is not a directory", e);
        }
    }

    private static void writeAtomically(Path file, String content, String mode) throws IOException {
        Path temp = createTemp(file.getParent(), file.getFileName().toString(), mode);
        try {
            write(temp, content);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void write(Path file, String content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
    }

    /** An empty temporary file beside the target, born with {@code mode} so a key is never readable by others. */
    private static Path createTemp(Path directory, String name, String mode) throws IOException {
        FileAttribute<?> permissions = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode));
        try {
            return Files.createTempFile(directory, "." + name + ".", ".tmp", permissions);
        } catch (UnsupportedOperationException e) {
            return Files.createTempFile(directory, "." + name + ".", ".tmp");
        }
    }

    /** Makes the renames durable; best effort, as not every platform can open a directory. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Nothing more can be done portably; the files themselves were already forced.
        }
    }
}
