package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gitsync.TreeLimits;
import meshlog.gitsync.git.ConfigRepository;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meshlog validate DIR} never follows a link, and judges a directory as git-sync judges its commit. */
class ValidateTreeTest {

    @TempDir
    Path tmp;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    int validate(String... args) {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void linksAreNeverFollowedAndTheDirectoryIsJudgedAsItsCommitIs() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.yaml"), MeshRepo.service(7001, 7002).replace("name: echo",
                "name: leaked"));
        Path repo = Files.createDirectories(tmp.resolve("mesh"));
        Files.writeString(repo.resolve("svc.yaml"), MeshRepo.service(7001, 7002));
        Files.createSymbolicLink(repo.resolve("passwd.yaml"), outside.resolve("secret.yaml"));
        Files.createSymbolicLink(repo.resolve("linked"), outside);
        Path sub = Files.createDirectories(repo.resolve("sub.yaml"));
        try (Git nested = Git.init().setDirectory(sub.toFile()).setInitialBranch("main").call()) {
            Files.writeString(sub.resolve("x.yaml"), MeshRepo.service(7001, 7002).replace("name: echo", "name: sub"));
            nested.add().addFilepattern(".").call();
            nested.commit().setMessage("nested").setSign(false).call();
        }

        assertThat(validate("validate", repo.toString())).isEqualTo(1);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("leaked").doesNotContain("demo/sub").contains(
                repo.resolve("passwd.yaml") + ":1:1: error [GS0004] a symbolic link: links are never followed",
                repo.resolve("sub.yaml") + ":1:1: error [GS0005] a submodule (gitlink)",
                "1 files, 2 objects, 2 errors, 0 warnings");

        // The same tree committed with the git CLI: the link as a link, the nested repository as a gitlink.
        assertThat(git(repo, "init", "-q", "-b", "main")).isZero();
        assertThat(git(repo, "add", "-A")).isZero();
        assertThat(git(repo, "-c", "user.name=A", "-c", "user.email=a@x", "commit", "-q", "-m", "links")).isZero();
        try (ConfigRepository r = ConfigRepository.open(repo.toFile(), null)) {
            List<String> committed = r.configFiles(r.head(), TreeLimits.DEFAULTS).compile().diagnostics().stream()
                    .map(Diagnostic::format).toList();
            assertThat(committed).containsExactlyElementsOf(text.lines().filter(l -> l.contains(": error ["))
                    .map(l -> l.replace(repo + "/", "")).toList());
        }
    }

    @Test
    void aFileNamedOnTheCommandLineThatIsALinkIsNotFollowedEither() throws Exception {
        Path target = tmp.resolve("real.yaml");
        Files.writeString(target, MeshRepo.service(7001, 7002));
        Path link = Files.createSymbolicLink(tmp.resolve("link.yaml"), target);
        assertThat(validate("validate", link.toString())).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(link + ":1:1: error [GS0004]",
                "0 files, 0 objects, 1 errors, 0 warnings");
    }

    @Test
    void aFileNameThatWouldForgeALineIsPrintedEscaped() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("d"));
        Files.writeString(dir.resolve("x\nFORGED.yaml"), "kind: [");
        assertThat(validate("validate", dir.toString())).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).noneMatch(l -> l.startsWith("FORGED"))
                .anyMatch(l -> l.startsWith(dir + "/x\\nFORGED.yaml:1:8: error [ML0001]"));
    }

    static int git(Path dir, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
