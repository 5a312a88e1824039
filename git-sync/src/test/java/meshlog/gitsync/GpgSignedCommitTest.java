package meshlog.gitsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import meshlog.configstore.event.CommitInfo;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.gitsync.GitSyncTest.ListLog;
import meshlog.gitsync.git.ConfigRepository;
import meshlog.gitsync.signing.CommitSignatures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit signed by git and GnuPG themselves ({@code git commit -S}, the key exported with
 * {@code gpg --export --armor}) applies; the same key's commit without a signature does not.
 */
class GpgSignedCommitTest {

    @TempDir
    Path dir;
    @TempDir
    Path gnupg;

    Map<String, String> env() {
        return Map.of("GNUPGHOME", gnupg.toString());
    }

    String gpg(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("gpg", "--batch", "--pinentry-mode", "loopback",
                "--passphrase", ""));
        command.addAll(List.of(args));
        return Cli.run(gnupg, null, command, env());
    }

    String git(String... args) throws Exception {
        return Cli.run(dir, null, List.of(args), env());
    }

    @AfterEach
    void stopTheAgent() throws Exception {
        // gpg started an agent for this GNUPGHOME: it is ours to stop.
        Cli.run(gnupg, null, List.of("gpgconf", "--kill", "gpg-agent"), env());
    }

    @Test
    void aCommitSignedByGitWithGnupgApplies() throws Exception {
        gpg("--quick-generate-key", "Gina <gina@example.com>", "ed25519", "sign", "never");
        Path allowed = Files.writeString(dir.resolveSibling(dir.getFileName() + "-allowed.asc"),
                gpg("--armor", "--export", "gina@example.com"));
        String fingerprint = gpg("--with-colons", "--fingerprint", "gina@example.com").lines()
                .filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
        git("git", "init", "-q", "-b", "main");
        Files.writeString(dir.resolve("svc.yaml"), GitSyncTest.SE);
        git("git", "add", "svc.yaml");
        git("git", "-c", "user.name=Gina", "-c", "user.email=gina@example.com", "-c", "user.signingkey="
                + fingerprint, "commit", "-q", "-S", "-m", "add echo");
        String signed = git("git", "rev-parse", "HEAD").strip();

        ListLog log = new ListLog();
        CommitSignatures signatures = CommitSignatures.load(allowed, null, Clock.systemUTC());
        assertThat(signatures.describe()).isEqualTo("PGP keys " + fingerprint + " (Gina <gina@example.com>)");
        try (ConfigRepository repo = ConfigRepository.open(dir.toFile(), null)) {
            GitSync sync = new GitSync("default", repo, log, TreeLimits.DEFAULTS, signatures);
            assertThat(sync.pollOnce()).isEqualTo(1);
            Files.writeString(dir.resolve("vs.yaml"), GitSyncTest.vs(100));
            git("git", "add", "vs.yaml");
            git("git", "-c", "user.name=Gina", "-c", "user.email=gina@example.com", "commit", "-q", "-m", "route");
            assertThat(sync.pollOnce()).isEqualTo(1);
        }
        String unsigned = git("git", "rev-parse", "HEAD").strip();
        assertThat(log.commits.get(0).get(log.commits.get(0).size() - 1)).isInstanceOf(CommitApplied.class)
                .extracting(e -> e.commit()).isEqualTo(signed);
        assertThat(log.commits.get(1)).singleElement().isInstanceOfSatisfying(CommitRejected.class, r -> assertThat(
                r.diagnostics().get(0).message()).isEqualTo("commit " + CommitInfo.shortSha(unsigned)
                + " is not signed; --require-signed applies only commits signed by a key of --allowed-pgp-keys"));
    }
}
