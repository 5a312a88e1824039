package meshlog.gitsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.ConfigEvent.BranchRewritten;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.state.ConfigState;
import meshlog.gatewayapi.ResourceKey;
import meshlog.gitsync.git.ConfigRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A force-push to the followed branch, made with the git CLI: a clone pushes A and B, resets to A, commits C and
 * pushes with {@code --force} to the bare repository git-sync follows.
 */
class BranchRewriteTest {

    @TempDir
    Path dir;

    static final String SE_B = GitSyncTest.SE.replace("name: echo,", "name: echo-b,");
    static final String SE_C = GitSyncTest.SE.replace("name: echo,", "name: echo-c,");

    @Test
    void aForcePushIsRecordedAsARewriteAndTheNewHeadIsServedAsAWholeTree() throws Exception {
        Path bare = dir.resolve("origin.git");
        Path work = dir.resolve("work");
        git(dir, "init", "--bare", "-b", "main", bare.toString());
        git(dir, "clone", bare.toString(), work.toString());
        String a = commit(work, "mesh/svc.yaml", GitSyncTest.SE, "A: echo");
        git(work, "push", "origin", "HEAD:main");
        GitSyncTest.ListLog log = new GitSyncTest.ListLog();
        try (ConfigRepository repo = ConfigRepository.open(bare.toFile(), "main")) {
            GitSync sync = new GitSync("default", repo, log);
            assertThat(sync.pollOnce()).isEqualTo(1);
            String b = commit(work, "mesh/b.yaml", SE_B, "B: echo-b");
            git(work, "push", "origin", "HEAD:main");
            assertThat(sync.pollOnce()).isEqualTo(1);

            git(work, "reset", "--hard", a);
            String c = commit(work, "mesh/c.yaml", SE_C, "C: echo-c instead");
            git(work, "push", "--force", "origin", "HEAD:main");
            assertThat(sync.pollOnce()).isEqualTo(1);

            List<ConfigEvent> third = log.commits.get(2);
            assertThat(third.get(0)).isEqualTo(new BranchRewritten("default", c, b, "main"));
            assertThat(third).extracting(e -> e.getClass().getSimpleName()).containsExactly("BranchRewritten",
                    "ResourceUpserted", "ResourceDeleted", "CommitApplied");
            CommitApplied applied = (CommitApplied) third.get(3);
            assertThat(applied.info().sha()).isEqualTo(c);
            assertThat(applied.changed()).extracting(Object::toString)
                    .containsExactly("ServiceEntry demo/echo-c", "ServiceEntry demo/echo-b");
            ConfigState state = ConfigState.replay(log.readAll());
            assertThat(state.documents().keySet()).extracting(ResourceKey::toString)
                    .containsExactly("ServiceEntry demo/echo", "ServiceEntry demo/echo-c");
            assertThat(state.files().values()).containsExactlyInAnyOrder("mesh/svc.yaml", "mesh/c.yaml");
            assertThat(state.lastProcessed()).isEqualTo(c);

            String d = commit(work, "mesh/c.yaml", SE_C.replace("7001", "7002"), "D: on top of C");
            git(work, "push", "origin", "HEAD:main");
            assertThat(sync.pollOnce()).as("a fast-forward after the rewrite is an ordinary commit").isEqualTo(1);
            assertThat(log.commits.get(3)).extracting(e -> e.getClass().getSimpleName())
                    .containsExactly("ResourceUpserted", "CommitApplied");
            assertThat(log.commits.get(3).get(1).commit()).isEqualTo(d);
            assertThat(new GitSync("default", repo, log).pollOnce()).as("a restart finds nothing new").isZero();
        }
    }

    @Test
    void aRewriteToATreeWithErrorsIsRecordedAndRejectedAndTheOldStateStaysServed() throws Exception {
        Path work = dir.resolve("work");
        git(dir, "init", "-b", "main", work.toString());
        String a = commit(work, "mesh/svc.yaml", GitSyncTest.SE, "A");
        String b = commit(work, "mesh/b.yaml", SE_B, "B");
        GitSyncTest.ListLog log = new GitSyncTest.ListLog();
        try (ConfigRepository repo = ConfigRepository.open(work.toFile(), "main")) {
            GitSync sync = new GitSync("default", repo, log);
            assertThat(sync.pollOnce()).isEqualTo(1); // only the head, B, on a first start
            git(work, "reset", "--hard", a);
            String c = commit(work, "mesh/vs.yaml", GitSyncTest.vs(-1), "C: a bad weight");
            assertThat(sync.pollOnce()).isEqualTo(1);

            assertThat(log.commits.get(1)).extracting(e -> e.getClass().getSimpleName())
                    .containsExactly("BranchRewritten", "CommitRejected");
            assertThat(((BranchRewritten) log.commits.get(1).get(0)).previous()).isEqualTo(b);
            ConfigState state = ConfigState.replay(log.readAll());
            assertThat(state.lastApplied().sha()).isEqualTo(b);
            assertThat(state.lastProcessed()).isEqualTo(c);
            assertThat(state.documents()).hasSize(2);
        }
    }

    private static String commit(Path work, String file, String content, String message) throws Exception {
        Path f = work.resolve(file);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        git(work, "add", "-A");
        git(work, "commit", "-q", "-m", message);
        return git(work, "rev-parse", "HEAD").strip();
    }

    static String git(Path in, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=Ada", "-c", "user.email=ada@example.com",
                "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(in.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("git " + String.join(" ", args) + " did not finish");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }
}
