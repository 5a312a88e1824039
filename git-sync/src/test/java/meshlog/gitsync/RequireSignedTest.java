package meshlog.gitsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import meshlog.configstore.event.CommitInfo;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.state.ConfigState;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.ResourceKey;
import meshlog.gitsync.GitSyncTest.ListLog;
import meshlog.gitsync.git.ConfigRepository;
import meshlog.gitsync.signing.CommitSignatures;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --require-signed} with real signatures: SSH ones by {@code ssh-keygen} (through {@code git commit -S} with
 * {@code gpg.format=ssh}, or {@code ssh-keygen -Y sign} directly), PGP ones by keys made with Bouncy Castle. Every
 * refused commit is one {@code CommitRejected} naming the commit, the signer and why; nothing of it is applied, and
 * the next good commit applies on top of the last applied state.
 */
class RequireSignedTest {

    static final String TAIL = "; --require-signed applies only commits signed by a key of --allowed-pgp-keys or"
            + " --allowed-signers";
    static final ResourceKey VS = new ResourceKey("VirtualService", "demo", "echo");

    @TempDir
    static Path keys;
    static SshTestKey alice;
    static SshTestKey erin;
    static SshTestKey mallorySsh;
    static SshTestKey frank;
    static SshTestKey grace;
    static PgpTestKey bob;
    static PgpTestKey carol;
    static PgpTestKey dave;
    static PgpTestKey malloryPgp;
    static CommitSignatures signatures;

    @TempDir
    Path dir;
    Git git;
    SignedCommits commits;
    final ListLog log = new ListLog();

    @BeforeAll
    static void keysAndAllowLists() throws Exception {
        alice = SshTestKey.generate(keys, "alice", "ed25519");
        erin = SshTestKey.generate(keys, "erin", "ed25519");
        mallorySsh = SshTestKey.generate(keys, "mallory", "ed25519");
        frank = SshTestKey.generate(keys, "frank", "ecdsa");
        grace = SshTestKey.generate(keys, "grace", "rsa");
        bob = PgpTestKey.generate("Bob <bob@example.com>", new Date(), 0);
        // Valid for one day, long ago.
        carol = PgpTestKey.generate("Carol <carol@example.com>", Date.from(Instant.parse("2025-01-01T00:00:00Z")),
                86400);
        dave = PgpTestKey.generate("Dave <dave@example.com>", new Date(), 0).revoked();
        malloryPgp = PgpTestKey.generate("Mallory <mallory@example.com>", new Date(), 0);
        Path signers = Files.writeString(keys.resolve("allowed_signers"), String.join("\n",
                "# who may sign the mesh config",
                "alice@example.com namespaces=\"git\" " + alice.keyField(),
                "erin@example.com namespaces=\"file\" " + erin.keyField() + " erin's file-signing key",
                "frank@example.com,frank@old.example.com valid-after=\"20240101\",valid-before=\"20250101Z\" "
                        + frank.keyField(),
                "\"grace@example.com\" namespaces=\"file,g?t\" " + grace.keyField(), ""));
        Path pgp = Files.writeString(keys.resolve("allowed.asc"), bob.armoredPublicKey() + "\n"
                + carol.armoredPublicKey() + dave.armoredPublicKey());
        signatures = CommitSignatures.load(pgp, signers, Clock.systemUTC());
    }

    @BeforeEach
    void repository() throws Exception {
        git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        commits = new SignedCommits(git, dir);
    }

    /** Polls once, as git-sync does, and returns the event that closes the last commit recorded. */
    ConfigEvent poll(String expectedCommit) throws Exception {
        try (ConfigRepository repo = ConfigRepository.open(dir.toFile(), null)) {
            new GitSync("default", repo, log, TreeLimits.DEFAULTS, signatures).pollOnce();
        }
        var last = log.commits.get(log.commits.size() - 1);
        assertThat(last.get(last.size() - 1).commit()).isEqualTo(expectedCommit);
        return last.get(last.size() - 1);
    }

    void assertRejected(String sha, String reason) throws Exception {
        Map<ResourceKey, String> before = ConfigState.replay(log.readAll()).documents();
        ConfigEvent last = poll(sha);
        assertThat(last).isInstanceOf(CommitRejected.class);
        assertThat(((CommitRejected) last).diagnostics()).extracting(Diagnostic::format)
                .containsExactly(":1:1: error [GS0011] " + reason.formatted(CommitInfo.shortSha(sha)) + TAIL);
        assertThat(ConfigState.replay(log.readAll()).documents()).as("nothing of the commit applied")
                .isEqualTo(before);
    }

    /** A base applied by a good SSH commit (git's own) and a good PGP commit; then a refused commit; then a good one. */
    void refusedThenAGoodCommitApplies(String badSha, String reason) throws Exception {
        assertRejected(badSha, reason);
        String good = commits.commit("vs.yaml", GitSyncTest.vs(70), "70", bob::sign);
        assertThat(poll(good)).isInstanceOf(CommitApplied.class);
        assertThat(ConfigState.replay(log.readAll()).documents().get(VS)).contains("\"weight\":70");
    }

    void base() throws Exception {
        String ssh = commits.gitCommitSsh("svc.yaml", GitSyncTest.SE, "add echo", alice);
        assertThat(poll(ssh)).isInstanceOf(CommitApplied.class);
        String pgp = commits.commit("vs.yaml", GitSyncTest.vs(100), "route echo", bob::sign);
        assertThat(poll(pgp)).isInstanceOf(CommitApplied.class);
        assertThat(ConfigState.replay(log.readAll()).documents()).containsKey(VS);
    }

    @Test
    void theInitialCommitIsCheckedTooAndAGoodOneAfterItApplies() throws Exception {
        String unsigned = commits.commit("svc.yaml", GitSyncTest.SE, "add echo", null);
        assertRejected(unsigned, "commit %s is not signed");
        assertThat(ConfigState.replay(log.readAll()).documents()).isEmpty();

        String signed = commits.gitCommitSsh("vs.yaml", GitSyncTest.vs(100), "route echo", alice);
        assertThat(poll(signed)).isInstanceOf(CommitApplied.class);
        assertThat(ConfigState.replay(log.readAll()).documents()).hasSize(2);
    }

    @Test
    void anUnsignedHeadOfAForcePushIsRecordedAsTheRewriteAndRefused() throws Exception {
        base();
        String bHead = git.getRepository().resolve("main").name();
        String a = git.getRepository().resolve("main~1").name();
        var ru = git.getRepository().updateRef("refs/heads/main");
        ru.setNewObjectId(org.eclipse.jgit.lib.ObjectId.fromString(a));
        ru.setForceUpdate(true);
        ru.update();
        String c = commits.commit("vs.yaml", GitSyncTest.vs(50), "rewritten, unsigned", null);
        Map<ResourceKey, String> before = ConfigState.replay(log.readAll()).documents();
        poll(c);
        assertThat(log.commits.get(log.commits.size() - 1)).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("BranchRewritten", "CommitRejected");
        assertThat(((ConfigEvent.BranchRewritten) log.commits.get(log.commits.size() - 1).get(0)).previous())
                .isEqualTo(bHead);
        assertThat(ConfigState.replay(log.readAll()).documents()).isEqualTo(before);
    }

    @Test
    void aCommitObjectOverOneMebibyteIsRefusedUnread() throws Exception {
        base();
        refusedThenAGoodCommitApplies(commits.commit("vs.yaml", GitSyncTest.vs(50), "x".repeat(1 << 20),
                bob::sign), "commit %s is larger than 1 MiB (its message, most likely), more than meshlog reads to"
                + " check a signature");
    }

    @Test
    void anUnsignedCommit() throws Exception {
        base();
        refusedThenAGoodCommitApplies(commits.commit("vs.yaml", GitSyncTest.vs(50), "50", null),
                "commit %s is not signed");
    }

    @Test
    void aPgpKeyNotInTheAllowList() throws Exception {
        base();
        refusedThenAGoodCommitApplies(commits.commit("vs.yaml", GitSyncTest.vs(50), "50", malloryPgp::sign),
                "commit %s is signed by PGP key " + malloryPgp.fingerprint() + ", which is not in --allowed-pgp-keys");
    }

    @Test
    void anSshKeyNotInTheAllowList() throws Exception {
        base();
        refusedThenAGoodCommitApplies(commits.gitCommitSsh("vs.yaml", GitSyncTest.vs(50), "50", mallorySsh),
                "commit %s is signed by SSH key ssh-ed25519 " + mallorySsh.fingerprint()
                        + ", which is not in --allowed-signers");
    }

    @Test
    void aPgpSignedCommitChangedAfterSigning() throws Exception {
        base();
        refusedThenAGoodCommitApplies(commits.commit("vs.yaml", GitSyncTest.vs(100), GitSyncTest.vs(0), "tampered",
                bob::sign), "commit %s has a bad PGP signature by " + bob.fingerprint() + " (Bob <bob@example.com>):"
                + " the commit is not what was signed (changed after signing?)");
    }

    @Test
    void anSshSignedCommitChangedAfterSigning() throws Exception {
        base();
        refusedThenAGoodCommitApplies(commits.commit("vs.yaml", GitSyncTest.vs(100), GitSyncTest.vs(0), "tampered",
                p -> alice.sign(p, "git")), "commit %s has a bad SSH signature by alice@example.com (ssh-ed25519 "
                + alice.fingerprint() + "): the commit is not what was signed (changed after signing?)");
    }

    @Test
    void anSshSignatureForAnotherNamespace() throws Exception {
        base();
        refusedThenAGoodCommitApplies(commits.commit("vs.yaml", GitSyncTest.vs(50), "50", p -> alice.sign(p, "file")),
                "commit %s has an SSH signature by alice@example.com (ssh-ed25519 " + alice.fingerprint()
                        + ") for namespace \"file\", not \"git\" (git signs commits for namespace git:"
                        + " ssh-keygen -Y sign -n git)");
    }

    @Test
    void anSshSignerAllowedOnlyForAnotherNamespace() throws Exception {
        base();
        refusedThenAGoodCommitApplies(commits.gitCommitSsh("vs.yaml", GitSyncTest.vs(50), "50", erin),
                "commit %s is signed by erin@example.com (ssh-ed25519 " + erin.fingerprint() + "), whose"
                        + " allowed_signers line 3 allows namespaces=\"file\", not git");
    }

    @Test
    void anSshSignerWhoseKeyIsNoLongerValidAtTheCommitTime() throws Exception {
        base();
        refusedThenAGoodCommitApplies(commits.gitCommitSsh("vs.yaml", GitSyncTest.vs(50), "50", frank),
                "commit %s is signed by frank@example.com,frank@old.example.com (ecdsa-sha2-nistp256 "
                        + frank.fingerprint() + "), whose key (allowed_signers line 4) is valid from "
                        + java.time.LocalDate.parse("2024-01-01").atStartOfDay(java.time.ZoneId.systemDefault())
                        .toInstant() + " until 2025-01-01T00:00:00Z, and the commit's committer time is"
                        + " 2026-12-07T09:00:00Z");
    }

    @Test
    void anRsaSshKeyAllowedForSeveralNamespacesSigns() throws Exception {
        base();
        String sha = commits.gitCommitSsh("vs.yaml", GitSyncTest.vs(60), "60", grace);
        assertThat(poll(sha)).isInstanceOf(CommitApplied.class);
        assertThat(ConfigState.replay(log.readAll()).documents().get(VS)).contains("\"weight\":60");
    }

    @Test
    void anExpiredPgpKey() throws Exception {
        base();
        refusedThenAGoodCommitApplies(commits.commit("vs.yaml", GitSyncTest.vs(50), "50", carol::sign),
                "commit %s is signed by PGP key " + carol.fingerprint() + " (Carol <carol@example.com>), which"
                        + " expired at 2025-01-02T00:00:00Z");
    }

    @Test
    void aRevokedPgpKey() throws Exception {
        base();
        refusedThenAGoodCommitApplies(commits.commit("vs.yaml", GitSyncTest.vs(50), "50", dave::sign),
                "commit %s is signed by PGP key " + dave.fingerprint() + " (Dave <dave@example.com>), which is"
                        + " revoked");
    }
}
