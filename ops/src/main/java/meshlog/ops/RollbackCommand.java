package meshlog.ops;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import meshlog.configstore.LogSafe;
import meshlog.configstore.event.CommitInfo;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * {@code meshlog rollback --to COMMIT [--message M] [--repo DIR] [--branch B]}: one new commit on the followed
 * branch whose tree is COMMIT's, so git stays the source of truth and {@code meshlog up} applies it as any other
 * commit (validated, recorded, published). The branch moves only if nobody moved it meanwhile (compare and swap);
 * a work tree checked out on the branch must be clean, and is brought to the new commit.
 */
final class RollbackCommand {

    /** Written by {@code meshlog up} in its data dir: the repository path and the branch it follows. */
    static final String REPOSITORY_FILE = "repository";
    static final String TRAILER = "Meshlog-Rollback-To";

    private RollbackCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Flags f = Flags.parse(args, Set.of("to", "message", "repo", "branch", "data-dir", "kafka", "kafka-config"), Set.of("pin"));
        String to = BootstrapCommand.required(f, "to");
        if (!f.has("pin")) {
            return commit(f, to, out, err);
        }
        // The pin first: it serves the old config at once, through the log alone, even if git fails below.
        int pinned = PinCommand.pin(f, to, f.get("message", "rollback to " + to), out, err);
        if (pinned != 0) {
            return pinned;
        }
        try {
            int code = commit(f, to, out, err);
            if (code != 0) {
                err.println("meshlog rollback: " + LogSafe.value(to) + " stays pinned (served) although git was not"
                        + " changed; meshlog unpin ends the pin");
            }
            return code;
        } catch (IOException | RuntimeException e) {
            err.println("meshlog rollback: " + LogSafe.value(to) + " is pinned (served), but the revert commit was"
                    + " not written: " + LogSafe.value(Main.describe(e)) + "; meshlog unpin ends the pin");
            return 2;
        }
    }

    /** The revert commit; returns the exit code. */
    private static int commit(Flags f, String to, PrintStream out, PrintStream err) throws IOException {
        String[] followed = followed(f);
        try (Git git = Git.open(Path.of(followed[0]).toFile())) {
            Repository repo = git.getRepository();
            String branch = followed[1] != null ? followed[1] : repo.getBranch();
            ObjectId head = repo.resolve(Constants.R_HEADS + branch);
            ObjectId target = repo.resolve(to + "^{commit}");
            if (head == null || target == null) {
                throw new Flags.UsageException((head == null ? "branch " + LogSafe.value(branch) : "commit "
                        + LogSafe.value(to)) + " is not in " + LogSafe.value(followed[0]));
            }
            boolean checkedOut = !repo.isBare() && branch.equals(repo.getBranch());
            if (checkedOut && !git.status().call().isClean()) {
                err.println("meshlog rollback: " + LogSafe.value(followed[0]) + " has uncommitted changes; commit or"
                        + " stash them first (nothing was changed)");
                return 2;
            }
            try (RevWalk walk = new RevWalk(repo); ObjectInserter inserter = repo.newObjectInserter()) {
                RevCommit targetCommit = walk.parseCommit(target);
                RevCommit headCommit = walk.parseCommit(head);
                if (headCommit.getTree().equals(targetCommit.getTree())) {
                    out.println("the head of " + LogSafe.value(branch) + " already has the tree of "
                            + targetCommit.abbreviate(8).name() + "; nothing to roll back");
                    return 0;
                }
                PersonIdent who = identity(repo);
                CommitBuilder c = new CommitBuilder();
                c.setTreeId(targetCommit.getTree());
                c.setParentId(head);
                c.setAuthor(who);
                c.setCommitter(who);
                c.setMessage(message(f.get("message", null), targetCommit));
                ObjectId created = inserter.insert(c);
                inserter.flush();
                RefUpdate update = repo.updateRef(Constants.R_HEADS + branch);
                update.setExpectedOldObjectId(head);
                update.setNewObjectId(created);
                update.setRefLogMessage("meshlog rollback to " + targetCommit.name(), false);
                RefUpdate.Result result = update.update(walk);
                if (result != RefUpdate.Result.FAST_FORWARD && result != RefUpdate.Result.NEW) {
                    err.println("meshlog rollback: " + LogSafe.value(branch) + " moved meanwhile (" + result
                            + "); run it again");
                    return 2;
                }
                if (checkedOut) {
                    git.reset().setMode(ResetCommand.ResetType.HARD).setRef(created.name()).call();
                }
                out.println("committed " + CommitInfo.shortSha(created.name()) + " on " + LogSafe.value(branch)
                        + ": the tree of " + CommitInfo.shortSha(targetCommit.name()) + " (\""
                        + LogSafe.value(targetCommit.getShortMessage()) + "\"); meshlog up applies it at its next"
                        + " poll");
                out.println(created.name());
                return 0;
            }
        } catch (GitAPIException e) {
            err.println("meshlog rollback: " + LogSafe.value(Main.describe(e)));
            return 2;
        }
    }

    /** The repository and branch: {@code --repo}/{@code --branch}, else those {@code meshlog up} recorded. */
    private static String[] followed(Flags f) throws IOException {
        if (f.has("repo")) {
            return new String[] {f.get("repo", ""), f.get("branch", null)};
        }
        Path file = Path.of(f.get("data-dir", ".meshlog")).resolve(REPOSITORY_FILE);
        if (!Files.isRegularFile(file)) {
            throw new Flags.UsageException("rollback needs --repo DIR (or --data-dir of a meshlog up, which records"
                    + " the repository it follows in " + REPOSITORY_FILE + ")");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return new String[] {lines.get(0), f.get("branch", lines.size() > 1 ? lines.get(1) : null)};
    }

    /** Records what {@code meshlog up} follows, for rollback. */
    static void record(Path dataDir, String repo, String branch) throws IOException {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve(REPOSITORY_FILE), repo + "\n" + branch + "\n", StandardCharsets.UTF_8);
    }

    private static String message(String given, RevCommit target) {
        String subject = given != null ? given : "Roll back to " + target.abbreviate(8).name() + ": "
                + target.getShortMessage();
        return subject + "\n\nRestores the tree of commit " + target.name() + ".\n\n" + TRAILER + ": "
                + target.name() + "\n";
    }

    /** The repository's configured user, as {@code git commit} would use; else meshlog's own. */
    private static PersonIdent identity(Repository repo) {
        String name = repo.getConfig().getString("user", null, "name");
        String email = repo.getConfig().getString("user", null, "email");
        return new PersonIdent(name != null ? name : "meshlog rollback", email != null ? email : "meshlog@localhost");
    }
}
