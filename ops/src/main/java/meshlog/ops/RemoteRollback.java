package meshlog.ops;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import meshlog.configstore.LogSafe;
import meshlog.gitsync.git.GitRemote;
import org.eclipse.jgit.api.CloneCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.PushCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * Rollback of a remote repository: a bare clone of the branch in a temporary directory, the revert commit made
 * there by {@link RollbackCommand#commitIn}, pushed without force. The remote's own check of the old value makes the
 * push the compare and swap: if somebody pushed meanwhile it is refused and nothing changed.
 */
final class RemoteRollback {

    interface Commit {
        RollbackCommand.Made make(Git clone, String branch) throws IOException;
    }

    private RemoteRollback() {
    }

    static int commit(GitRemote remote, String branch, Commit commit, PrintStream out, PrintStream err)
            throws IOException {
        Path tmp = Files.createTempDirectory("meshlog-rollback");
        String token = null;
        try {
            CloneCommand clone = Git.cloneRepository().setURI(remote.url()).setBare(true)
                    .setDirectory(tmp.resolve("repo").toFile()).setTimeout(60);
            if (branch != null) {
                clone.setBranch(Constants.R_HEADS + branch).setBranchesToClone(List.of(Constants.R_HEADS + branch));
            }
            token = remote.configure(clone, tmp.resolve("ssh"));
            try (Git git = clone.call()) {
                String b = branch != null ? branch : git.getRepository().getBranch();
                RollbackCommand.Made made = commit.make(git, b);
                if (made == null || made.created() == null) {
                    return made == null ? 2 : 0;
                }
                PushCommand push = git.push().setRemote(remote.url()).setTimeout(60)
                        .setRefSpecs(new RefSpec(made.created().name() + ":" + Constants.R_HEADS + b));
                remote.configure(push, tmp.resolve("ssh"));
                String refused = refusal(push.call());
                if (refused != null) {
                    err.println("meshlog rollback: the push to " + LogSafe.value(remote.url()) + " was refused ("
                            + LogSafe.value(refused) + "); nothing changed" + (refused.contains("NONFASTFORWARD")
                            ? ": " + LogSafe.value(b) + " moved meanwhile, run it again" : ""));
                    return 2;
                }
                made.report(out, b, "pushed to " + LogSafe.value(remote.url())
                        + "; meshlog up applies it at its next poll or webhook");
                return 0;
            }
        } catch (GitAPIException e) {
            String m = Main.describe(e);
            err.println("meshlog rollback: " + LogSafe.value(remote.explain(token == null ? m : m.replace(token,
                    "***"))));
            return 2;
        } finally {
            delete(tmp);
        }
    }

    /** Null when every ref was updated; else the first refusal, with the remote's message. */
    private static String refusal(Iterable<PushResult> results) {
        for (PushResult r : results) {
            for (RemoteRefUpdate u : r.getRemoteUpdates()) {
                if (u.getStatus() != RemoteRefUpdate.Status.OK && u.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                    return u.getStatus() + (u.getMessage() == null ? "" : ": " + u.getMessage());
                }
            }
        }
        return null;
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: the system cleans it eventually
        }
    }
}
