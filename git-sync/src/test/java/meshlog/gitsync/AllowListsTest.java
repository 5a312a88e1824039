package meshlog.gitsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Date;
import meshlog.gitsync.signing.CommitSignatures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The allow-lists are read at start: a mistake is one error naming the file and line, which never quotes key
 * material; what is allowed is described by fingerprints and principals only.
 */
class AllowListsTest {

    @TempDir
    static Path dir;
    static SshTestKey alice;
    static PgpTestKey bob;

    @BeforeAll
    static void keys() throws Exception {
        alice = SshTestKey.generate(dir, "alice", "ed25519");
        bob = PgpTestKey.generate("Bob <bob@example.com>", new Date(), 0);
    }

    static Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    static String signersError(String... lines) throws Exception {
        Path f = file("allowed_signers", String.join("\n", lines) + "\n");
        try {
            CommitSignatures.load(null, f, Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            return e.getMessage().replace(f.toString(), "allowed_signers");
        }
        throw new AssertionError("accepted");
    }

    @Test
    void oneOfTheTwoListsIsRequired() {
        assertThatThrownBy(() -> CommitSignatures.load(null, null, Clock.systemUTC())).hasMessage(
                "--require-signed needs --allowed-pgp-keys FILE (armored public keys) or --allowed-signers FILE (an"
                        + " OpenSSH allowed_signers file), or both");
    }

    @Test
    void allowedSignersMistakesNameTheLine() throws Exception {
        String key = alice.keyField();
        String base64 = key.split(" ")[1];
        assertThat(signersError("# signers", "alice@example.com")).isEqualTo("allowed_signers:2: expected"
                + " PRINCIPALS [OPTIONS] KEYTYPE BASE64-KEY [COMMENT] (KEYTYPE like ssh-ed25519)");
        assertThat(signersError("alice@example.com ssh-ed25519 not*base64")).isEqualTo(
                "allowed_signers:1: the ssh-ed25519 key is not valid base64");
        assertThat(signersError("alice@example.com ssh-rsa " + base64)).isEqualTo(
                "allowed_signers:1: the key is not a ssh-rsa key");
        assertThat(signersError("ok@example.com " + key, "ca@example.com cert-authority " + key)).isEqualTo(
                "allowed_signers:2: cert-authority is not supported: list the signers' own keys");
        assertThat(signersError("alice@example.com permit-pty " + key)).isEqualTo(
                "allowed_signers:1: unknown option permit-pty (known: namespaces, valid-after, valid-before)");
        assertThat(signersError("alice@example.com valid-after=\"2024-01-01\" " + key)).isEqualTo(
                "allowed_signers:1: valid-after must be YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, optionally"
                        + " ending in Z (UTC), got \"2024-01-01\"");
        assertThat(signersError("alice@example.com namespaces= " + key)).isEqualTo(
                "allowed_signers:1: namespaces needs a value, like namespaces=\"...\"");
        assertThat(signersError("# nobody yet", "")).isEqualTo("allowed_signers lists no signer (lines:"
                + " PRINCIPALS [OPTIONS] KEYTYPE BASE64-KEY, as ssh-keygen -Y verify reads them)");
    }

    @Test
    void pgpKeyFileMistakesNameTheLineAndNeverQuoteTheKey() throws Exception {
        String armored = bob.armoredPublicKey();
        assertThat(pgpError("# team keys\n" + armored + "\nsome text\n")).isEqualTo("allowed.asc:" 
                + (armored.lines().count() + 3) + ": expected -----BEGIN PGP PUBLIC KEY BLOCK----- (gpg --export"
                + " --armor KEYID prints one)");
        assertThat(pgpError("-----BEGIN PGP PRIVATE KEY BLOCK-----\nsecret\n")).isEqualTo(
                "allowed.asc:1: a private key: give public keys only (gpg --export --armor KEYID)");
        String truncated = armored.substring(0, armored.indexOf("-----END"));
        assertThat(pgpError(truncated)).isEqualTo(
                "allowed.asc:1: the key block has no -----END PGP PUBLIC KEY BLOCK----- line");
        String[] lines = armored.split("\n");
        lines[4] = "!!!!" + lines[4].substring(4);
        String corrupt = String.join("\n", lines);
        assertThat(pgpError(armored + corrupt)).startsWith("allowed.asc:" + (armored.lines().count() + 1)
                + ": the key block cannot be read as OpenPGP public keys (").doesNotContain(lines[5]);
    }

    static String pgpError(String content) throws Exception {
        Path f = file("allowed.asc", content);
        try {
            CommitSignatures.load(f, null, Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            return e.getMessage().replace(f.toString(), "allowed.asc");
        }
        throw new AssertionError("accepted");
    }

    @Test
    void aFileOverOneMebibyteOrMissingIsRefused() throws Exception {
        Path big = file("big", "#".repeat((1 << 20) + 1));
        assertThatThrownBy(() -> CommitSignatures.load(big, null, Clock.systemUTC()))
                .hasMessage(big + " is larger than 1 MiB");
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> CommitSignatures.load(null, missing, Clock.systemUTC()))
                .hasMessage(missing + " does not exist or is not a file");
    }

    @Test
    void whatIsAllowedIsDescribedByFingerprintsAndPrincipals() throws Exception {
        CommitSignatures s = CommitSignatures.load(file("keys.asc", bob.armoredPublicKey()),
                file("signers", "alice@example.com namespaces=\"git\" " + alice.keyField() + "\n"),
                Clock.systemUTC());
        assertThat(s.describe()).isEqualTo("PGP keys " + bob.fingerprint() + " (Bob <bob@example.com>), SSH signers"
                + " alice@example.com " + alice.fingerprint());
    }
}
