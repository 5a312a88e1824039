package meshlog.gitsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a commit's author, message and file names can put in git-sync's log lines: never a line of their own. */
class GitSyncLogLineTest {

    static final String FORGED = "19:00:00.000 [git-sync] INFO GitSync - commit applied cafebabe author=\"FORGED\"";

    @TempDir
    Path dir;

    @Test
    void anAuthorOrFileNameWithANewlineNeverStartsALogLine() throws Exception {
        String log;
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
             RawCommits raw = new RawCommits(git.getRepository(), "main");
             meshlog.gitsync.git.ConfigRepository repo = meshlog.gitsync.git.ConfigRepository.open(dir.toFile(),
                     "main")) {
            GitSync sync = new GitSync("default", repo, new GitSyncTest.ListLog());
            // A header line cannot hold a newline (JGit drops it), but a terminal obeys cursor-up and return.
            PersonIdent forger = new PersonIdent("Eve\u001b[1A\r" + FORGED, "eve@example.com");
            log = captureStderr(() -> {
                raw.commit("good" + FORGED, forger, Map.of("svc.yaml", raw.file(GitSyncTest.SE)));
                sync.pollOnce();
                raw.commit("bad", forger, Map.of("svc.yaml", raw.file(GitSyncTest.SE),
                        "x\n" + FORGED + ".yaml", raw.file("kind: [")));
                sync.pollOnce();
            });
        }
        List<String> lines = log.lines().filter(l -> l.contains("FORGED")).toList();
        assertThat(log.lines()).as("every line is one of git-sync's").allMatch(l -> l.matches(
                "^[0-9:.]+ \\[main\\] (INFO|WARN) GitSync - commit (applied|rejected) [0-9a-f]{8} author=\".*"));
        assertThat(lines).hasSize(2);
        String author = "author=\"Eve\\u001b[1A\\r19:00:00.000 [git-sync] INFO GitSync - commit applied cafebabe"
                + " author=\\\"FORGED\\\"\"";
        assertThat(lines.get(0)).contains(author + " changed=1");
        assertThat(lines.get(1)).contains(author + " errors=1: x\\n19:00:00.000 [git-sync] INFO GitSync - commit"
                + " applied cafebabe author=\\\"FORGED\\\".yaml:1:8: error [ML0001] not valid YAML: expected the node"
                + " content, but found '<stream end>' (while parsing a flow node at line 1, column 8)");
    }

    interface Action {
        void run() throws Exception;
    }

    /** slf4j-simple writes to whatever System.err is at the time of each line. */
    static String captureStderr(Action action) throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
