package meshlog.gitsync.git;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.event.CommitInfo;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.parse.ConfigParser;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Reads commits of one branch of a local git repository through JGit: what is committed, never the work tree, so
 * an edit in progress is not config until it is committed.
 */
public final class ConfigRepository implements AutoCloseable {

    /** A larger file is not read: the parser is handed a stand-in just over its limit and rejects it there. */
    private static final int MAX_BLOB = ConfigParser.MAX_FILE_BYTES;

    private final Repository repo;
    private final String branch;

    private ConfigRepository(Repository repo, String branch) {
        this.repo = repo;
        this.branch = branch;
    }

    /**
     * Opens the repository at {@code dir}.
     *
     * @param branch the branch to follow; null means the repository's current branch
     * @throws IllegalArgumentException when {@code dir} is not a git repository, in words a user can act on
     */
    public static ConfigRepository open(File dir, String branch) {
        if (!dir.isDirectory()) {
            throw new IllegalArgumentException(dir + " does not exist or is not a directory");
        }
        Repository r = null;
        try {
            // The directory itself (a work tree, also a linked worktree or submodule whose .git is a file, or a
            // bare repository), never a parent: --repo names the config repository.
            FileRepositoryBuilder b = new FileRepositoryBuilder().setMustExist(true);
            r = (new File(dir, ".git").exists() ? b.setWorkTree(dir) : b.setGitDir(dir)).setup().build();
        } catch (IOException | RuntimeException e) {
            r = null;
        }
        if (r == null || !r.getObjectDatabase().exists()) {
            if (r != null) {
                r.close();
            }
            throw new IllegalArgumentException(dir + " is not a git repository (try: meshlog init " + dir + ")");
        }
        try {
            return new ConfigRepository(r, branch(r, dir, branch));
        } catch (IOException | IllegalArgumentException e) {
            r.close();
            throw e instanceof IllegalArgumentException iae ? iae
                    : new IllegalArgumentException("cannot read the branches of " + dir + ": " + e.getMessage());
        }
    }

    /** The branch to follow: named, or the current one; one that does not exist while others do is refused. */
    private static String branch(Repository r, File dir, String named) throws IOException {
        String b = named != null ? named : r.getBranch();
        if (named == null && ObjectId.isId(b)) {
            throw new IllegalArgumentException(dir + " has a detached HEAD; name the branch to follow with --branch");
        }
        List<String> existing = r.getRefDatabase().getRefsByPrefix(Constants.R_HEADS).stream()
                .map(ref -> ref.getName().substring(Constants.R_HEADS.length())).sorted().toList();
        if (!existing.isEmpty() && !existing.contains(b)) {
            throw new IllegalArgumentException("branch " + b + " does not exist in " + dir + " (branches: "
                    + String.join(", ", existing) + ")");
        }
        return b;
    }

    public String branch() {
        return branch;
    }

    /** The sha of the branch's head, or null while the branch has no commit. */
    public String head() throws IOException {
        Ref ref = repo.exactRef(Constants.R_HEADS + branch);
        return ref == null || ref.getObjectId() == null ? null : ref.getObjectId().name();
    }

    /**
     * The commits after {@code from} up to {@code head}, oldest first, along first parents (a merge counts as one
     * commit, as it does on the branch). When {@code from} is null or no longer on the branch (a force-push), only
     * {@code head}: meshlog then applies the branch as it is now.
     */
    public List<String> commitsAfter(String from, String head) throws IOException {
        if (from == null) {
            return List.of(head);
        }
        List<String> out = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(ObjectId.fromString(head));
            ObjectId stop = ObjectId.fromString(from);
            while (c != null && !c.equals(stop)) {
                out.add(c.name());
                c = c.getParentCount() == 0 ? null : walk.parseCommit(c.getParent(0));
            }
            if (c == null) {
                return List.of(head);
            }
        }
        Collections.reverse(out);
        return out;
    }

    /** Who, when and why of a commit. */
    public CommitInfo info(String sha) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(ObjectId.fromString(sha));
            var who = c.getAuthorIdent();
            return new CommitInfo(c.name(), who.getName(), who.getEmailAddress(), who.getWhenAsInstant(),
                    c.getFullMessage().strip());
        }
    }

    /** Every {@code *.yaml} / {@code *.yml} file of the commit's tree, by path from the repository root. */
    public Map<String, byte[]> configFiles(String sha) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (RevWalk walk = new RevWalk(repo); TreeWalk tree = new TreeWalk(repo)) {
            tree.addTree(walk.parseCommit(ObjectId.fromString(sha)).getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                String path = tree.getPathString();
                if (ConfigCompiler.isConfigFile(path)) {
                    var loader = repo.open(tree.getObjectId(0));
                    files.put(path, loader.getSize() > MAX_BLOB ? new byte[MAX_BLOB + 1]
                            : loader.getBytes());
                }
            }
        }
        return files;
    }

    /** The repository's directory, as users named it. */
    @Override
    public String toString() {
        return (repo.isBare() ? repo.getDirectory() : repo.getWorkTree()).toString();
    }

    @Override
    public void close() {
        repo.close();
    }
}
