package meshlog.gitsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.kafka.KafkaBrokerExtension;
import meshlog.configstore.state.ConfigState;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gitsync.RawCommits.Entry;
import meshlog.gitsync.git.ConfigRepository;
import meshlog.gitsync.kafka.KafkaCommitLog;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commits that used to stop config delivery for good, against a real repository and a real broker: each one now
 * ends as a rejection naming the reason, and the good commit after it is applied. Each test has its own repo id
 * (the topic is shared by the class).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileCommitsTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    static final PersonIdent MALLORY = new PersonIdent("Mallory", "mallory@example.com");

    @TempDir
    Path dir;
    Git git;
    RawCommits raw;
    ConfigRepository repo;
    KafkaCommitLog log;
    String repoId;

    @BeforeEach
    void open(TestInfo test) throws Exception {
        repoId = test.getTestMethod().orElseThrow().getName();
        git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        raw = new RawCommits(git.getRepository(), "main");
        log = new KafkaCommitLog(KAFKA.bootstrap(), repoId);
    }

    @AfterEach
    void close() {
        log.close();
        if (repo != null) {
            repo.close();
        }
        raw.close();
        git.close();
    }

    GitSync sync(TreeLimits limits) {
        repo = ConfigRepository.open(dir.toFile(), "main");
        return new GitSync(repoId, repo, log, limits);
    }

    String good(String message) throws Exception {
        return raw.commit(message, MALLORY, Map.of("mesh/svc.yaml", raw.file(GitSyncTest.SE)));
    }

    /** Each recorded commit as "applied SHA8" or "rejected SHA8 CODE...", in log order. */
    List<String> outcomes() {
        List<String> out = new ArrayList<>();
        for (ConfigEvent e : log.readAll()) {
            if (e instanceof CommitApplied a) {
                out.add("applied " + a.info().shortSha());
            } else if (e instanceof CommitRejected r) {
                out.add("rejected " + r.info().shortSha() + " " + String.join(" ", r.diagnostics().stream()
                        .filter(Diagnostic::isError).map(Diagnostic::code).toList()));
            }
        }
        return out;
    }

    CommitRejected lastRejected() {
        return ConfigState.replay(log.readAll()).lastRejected();
    }

    static String s8(String sha) {
        return sha.substring(0, 8);
    }

    @Test
    void aSubmoduleNamedLikeAConfigFileIsRejectedAndTheCommitThatRemovesItIsApplied() throws Exception {
        String first = good("echo");
        GitSync sync = sync(TreeLimits.DEFAULTS);
        sync.pollOnce();
        String sub = raw.commit("add a submodule", MALLORY, Map.of("mesh/svc.yaml", raw.file(GitSyncTest.SE),
                "sub.yaml", RawCommits.gitlink(), "charts", RawCommits.gitlink()));
        assertThat(sync.pollOnce()).isEqualTo(1);
        String fix = good("remove the submodule");

        assertThat(sync.pollOnce()).isEqualTo(1);
        assertThat(sync.pollOnce()).as("nothing left to repeat").isZero();
        assertThat(outcomes()).containsExactly("applied " + s8(first), "rejected " + s8(sub) + " GS0005",
                "applied " + s8(fix));
        // Restarted, git-sync resumes after the last commit: the submodule commit is never read again.
        assertThat(new GitSync(repoId, repo, log).pollOnce()).isZero();
    }

    @Test
    void aSymbolicLinkToASystemFileIsRejectedWithoutReadingItsTarget() throws Exception {
        good("echo");
        GitSync sync = sync(TreeLimits.DEFAULTS);
        sync.pollOnce();
        String link = raw.commit("link", MALLORY, Map.of("mesh/svc.yaml", raw.file(GitSyncTest.SE),
                "passwd.yaml", raw.symlink("/etc/passwd"), "etc", raw.symlink("/etc")));
        sync.pollOnce();
        String fix = good("drop the link");
        sync.pollOnce();

        assertThat(outcomes()).hasSize(3).endsWith("rejected " + s8(link) + " GS0004", "applied " + s8(fix));
        assertThat(lastRejected().diagnostics()).extracting(Diagnostic::format).containsExactly(
                "passwd.yaml:1:1: error [GS0004] a symbolic link: links are never followed, so its target is not"
                        + " read; commit the file itself, or give the link a name that is not *.yaml or *.yml");
    }

    @Test
    void threeHundredFilesOfFourMebibytesAreRejectedBeforeAnyIsRead() throws Exception {
        good("echo");
        GitSync sync = sync(TreeLimits.DEFAULTS);
        sync.pollOnce();
        // One blob under the per-file limit, named by 300 paths: 1.2 GiB to read, stored in 4 MiB.
        Entry big = raw.file("#".repeat(4 * 1024 * 1024 - 1) + "\n");
        Map<String, Entry> tree = new java.util.HashMap<>();
        for (int i = 0; i < 300; i++) {
            tree.put("bulk/f" + i + ".yaml", big);
        }
        String bulk = raw.commit("bulk", MALLORY, tree);
        long t0 = System.nanoTime();
        sync.pollOnce();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String fix = good("back to normal");
        sync.pollOnce();

        assertThat(outcomes()).endsWith("rejected " + s8(bulk) + " GS0003", "applied " + s8(fix));
        assertThat(lastRejected().diagnostics()).extracting(Diagnostic::format).containsExactly(
                ":1:1: error [GS0003] the YAML files of the tree total more than 33554432 bytes (limit"
                        + " --max-commit-bytes 33554432); nothing was read");
        assertThat(ms).as("rejected from the objects' headers, in ms").isLessThan(10_000);
    }

    @Test
    void oneFileOfTinyScalarsIsRejectedByTheNodeBudgetBeforeItIsCompiled() throws Exception {
        good("echo");
        GitSync sync = sync(TreeLimits.DEFAULTS);
        sync.pollOnce();
        // 4 MiB of "a," is 2 million nodes: ~330 MiB of heap once compiled, within every byte limit.
        String scalars = "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: s, namespace: demo}\n"
                + "spec:\n  hosts: [" + "a,".repeat(2_000_000) + "a]\n";
        String bomb = raw.commit("hosts", MALLORY, Map.of("mesh/svc.yaml", raw.file(GitSyncTest.SE),
                "mesh/hosts.yaml", raw.file(scalars)));
        long t0 = System.nanoTime();
        sync.pollOnce();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String fix = good("back to normal");
        sync.pollOnce();

        assertThat(outcomes()).endsWith("rejected " + s8(bomb) + " GS0009", "applied " + s8(fix));
        assertThat(lastRejected().diagnostics()).extracting(Diagnostic::format).containsExactly(
                ":1:1: error [GS0009] the YAML files of the tree hold more than 1500000 nodes (limit"
                        + " --max-commit-nodes 1500000; keys, values, lists and maps, an alias counted as what it"
                        + " stands for); nothing was compiled");
        assertThat(ms).as("counted by streaming, in ms").isLessThan(20_000);
    }

    @Test
    void tooManyFilesTooLargeARepositoryAndAMissingObjectAreEachRejectedAndLaterCommitsProceed() throws Exception {
        TreeLimits small = new TreeLimits(5, 1 << 20, 1 << 19, 10_000);
        good("echo");
        GitSync sync = sync(small);
        sync.pollOnce();
        Map<String, Entry> six = new java.util.HashMap<>();
        for (int i = 0; i < 6; i++) {
            six.put("docs/" + i + ".md", raw.file("doc " + i));
        }
        String many = raw.commit("six files", MALLORY, six);
        String large = raw.commit("a large binary", MALLORY, Map.of("mesh/svc.yaml", raw.file(GitSyncTest.SE),
                "logo.png", raw.file(new byte[(1 << 20) + 1])));
        String missing = raw.commit("a blob we do not have", MALLORY, Map.of("mesh/svc.yaml",
                RawCommits.missingBlob()));
        String fix = good("fixed");
        assertThat(sync.pollOnce()).isEqualTo(4);

        assertThat(outcomes()).endsWith("rejected " + s8(many) + " GS0001", "rejected " + s8(large) + " GS0002",
                "rejected " + s8(missing) + " GS0006", "applied " + s8(fix));
        CommitRejected gone = (CommitRejected) log.readAll().stream().filter(e -> e instanceof CommitRejected r
                && r.info().sha().equals(missing)).findFirst().orElseThrow();
        assertThat(gone.diagnostics()).extracting(Diagnostic::format).containsExactly(":1:1: error [GS0006] the"
                + " tree names an object this repository does not have (Missing blob"
                + " deadbeefdeadbeefdeadbeefdeadbeefdeadbeef; a shallow or partial clone?); the commit is not read");
    }

    @Test
    void deletingEveryObjectIsRejectedUnlessTheTrailerAllowsIt() throws Exception {
        Files.createDirectories(dir.resolve("mesh"));
        Files.writeString(dir.resolve("mesh/svc.yaml"), GitSyncTest.SE);
        Files.writeString(dir.resolve("mesh/vs.yaml"), GitSyncTest.vs(100));
        git.add().addFilepattern(".").call();
        String first = git.commit().setMessage("echo").setAuthor(MALLORY).setSign(false).call().name();
        GitSync sync = sync(TreeLimits.DEFAULTS);
        sync.pollOnce();
        assertThat(cli("git", "rm", "-r", "-q", ".")).isZero();
        String empty = git.commit().setMessage("clean up").setAuthor(MALLORY).setSign(false).call().name();
        sync.pollOnce();
        assertThat(outcomes()).containsExactly("applied " + s8(first), "rejected " + s8(empty) + " GS0007");
        assertThat(lastRejected().diagnostics()).extracting(Diagnostic::format).containsExactly(":1:1: error"
                + " [GS0007] this commit deletes every object (2 objects, e.g. ServiceEntry demo/echo), so proxies"
                + " would be left with no config at all; if that is intended, add the trailer"
                + " \"Meshlog-Allow-Empty: true\" to the commit message");
        assertThat(ConfigState.replay(log.readAll()).documents()).as("still served").hasSize(2);

        String allowed = git.commit().setAllowEmpty(true).setAuthor(MALLORY).setSign(false)
                .setMessage("decommission the mesh\n\nSigned-off-by: Mallory <mallory@example.com>\n"
                        + "Meshlog-Allow-Empty: true\n").call().name();
        sync.pollOnce();
        assertThat(outcomes()).endsWith("applied " + s8(allowed));
        assertThat(ConfigState.replay(log.readAll()).documents()).isEmpty();

        String again = good("echo again");
        sync.pollOnce();
        assertThat(outcomes()).endsWith("applied " + s8(again));
        assertThat(ConfigState.replay(log.readAll()).documents()).hasSize(1);
    }

    int cli(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
