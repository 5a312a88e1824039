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
import meshlog.gitsync.git.GitRemote;
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
 * {@code meshlog rollback --to COMMIT [--message M] [--repo DIR|URL] [--branch B]}: one new commit on the followed
 * branch whose tree is COMMIT's, so git stays the source of truth and {@code meshlog up} applies it as any other
 * commit (validated, recorded, published). The branch moves only if nobody moved it meanwhile (compare and swap);
 * a work tree checked out on the branch must be clean, and is brought to the new commit. A remote repository is
 * cloned (bare, into a temporary directory), the commit made there and pushed without force: a push that is not a
 * fast-forward (somebody pushed meanwhile) is refused by the remote, and nothing changed.
 */
final class RollbackCommand {

    /** Written by {@code meshlog up} in its data dir: the repository path and the branch it follows. */
    static final String REPOSITORY_FILE = "repository";
    static final String TRAILER = "Meshlog-Rollback-To";

    private RollbackCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Flags f = Flags.parse(args, Set.of("to", "message", "repo", "branch", "data-dir", "kafka", "kafka-config",
                "git-token-file", "git-token-env", "git-ssh-key", "git-known-hosts"), Set.of("pin"));
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
        if (GitRemote.isUrl(followed[0])) {
            return RemoteRollback.commit(remote(f, followed), followed[1], (git, branch) -> commitIn(git, branch,
                    followed[0], f, to, out, err), out, err);
        }
        try (Git git = Git.open(Path.of(followed[0]).toFile())) {
            Repository repo = git.getRepository();
            String branch = followed[1] != null ? followed[1] : repo.getBranch();
            Made made = commitIn(git, branch, followed[0], f, to, out, err);
            if (made != null && made.created() != null) {
                made.report(out, branch, "meshlog up applies it at its next poll");
            }
            return made == null ? 2 : 0;
        }
    }

    /**
     * A revert commit made.
     *
     * @param created null when there was nothing to roll back
     * @param summary what it holds, for the user
     */
    record Made(ObjectId created, String summary) {
        void report(PrintStream out, String branch, String next) {
            out.println("committed " + CommitInfo.shortSha(created.name()) + " on " + LogSafe.value(branch) + ": "
                    + summary + "; " + next);
            out.println(created.name());
        }
    }

    /**
     * Makes the revert commit on {@code branch} of {@code git}'s repository.
     *
     * @return the commit made (none when there is nothing to roll back); null on a refusal already reported on
     *     {@code err}
     */
    static Made commitIn(Git git, String branch, String where, Flags f, String to, PrintStream out,
                             PrintStream err) throws IOException {
        try {
            Repository repo = git.getRepository();
            String[] followed = {where};
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
                return null;
            }
            try (RevWalk walk = new RevWalk(repo); ObjectInserter inserter = repo.newObjectInserter()) {
                RevCommit targetCommit = walk.parseCommit(target);
                RevCommit headCommit = walk.parseCommit(head);
                if (headCommit.getTree().equals(targetCommit.getTree())) {
                    out.println("the head of " + LogSafe.value(branch) + " already has the tree of "
                            + targetCommit.abbreviate(8).name() + "; nothing to roll back");
                    return new Made(null, null);
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
                    return null;
                }
                if (checkedOut) {
                    git.reset().setMode(ResetCommand.ResetType.HARD).setRef(created.name()).call();
                }
                return new Made(created, "the tree of " + CommitInfo.shortSha(targetCommit.name()) + " (\""
                        + LogSafe.value(targetCommit.getShortMessage()) + "\")");
            }
        } catch (GitAPIException e) {
            err.println("meshlog rollback: " + LogSafe.value(Main.describe(e)));
            return null;
        }
    }

    /** The remote's credentials: the flags given, else those {@code meshlog up} recorded beside the URL. */
    private static GitRemote remote(Flags f, String[] followed) {
        boolean given = f.has("git-token-file") || f.has("git-token-env") || f.has("git-ssh-key")
                || f.has("git-known-hosts");
        if (given || followed.length < 3) {
            return UpOptions.remote(f, followed[0]);
        }
        try {
            return new GitRemote(followed[0], pathOrNull(followed[2]), followed[3].isEmpty() ? null : followed[3],
                    pathOrNull(followed[4]), pathOrNull(followed[5]));
        } catch (IllegalArgumentException e) {
            throw new Flags.UsageException(e.getMessage());
        }
    }

    private static Path pathOrNull(String s) {
        return s.isEmpty() ? null : Path.of(s);
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
        String branch = f.get("branch", lines.size() > 1 ? lines.get(1) : null);
        if (lines.size() >= 6 && !f.has("repo")) {
            return new String[] {lines.get(0), branch, lines.get(2), lines.get(3), lines.get(4), lines.get(5)};
        }
        return new String[] {lines.get(0), branch};
    }

    /** Records what {@code meshlog up} follows, for rollback. */
    static void record(Path dataDir, String repo, String branch) throws IOException {
        record(dataDir, repo, branch, null);
    }

    /**
     * Records what {@code meshlog up} follows, for rollback: the repository, the branch and, for a remote, where its
     * credentials are (file paths and a variable's name, never a secret itself).
     */
    static void record(Path dataDir, String repo, String branch, GitRemote remote) throws IOException {
        Files.createDirectories(dataDir);
        StringBuilder sb = new StringBuilder(repo + "\n" + branch + "\n");
        if (remote != null) {
            for (Object o : new Object[] {remote.tokenFile(), remote.tokenEnv(), remote.sshKey(), remote.knownHosts()}) {
                sb.append(o == null ? "" : o instanceof Path p ? p.toAbsolutePath().toString() : o).append('\n');
            }
        }
        Files.writeString(dataDir.resolve(REPOSITORY_FILE), sb.toString(), StandardCharsets.UTF_8);
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
