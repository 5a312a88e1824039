package meshlog.gitsync.git;

import java.io.File;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.event.CommitInfo;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gitsync.CommitFiles;
import meshlog.gitsync.TreeEntry;
import meshlog.gitsync.TreeLimits;
import meshlog.gitsync.TreeScan;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
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

    static final String MISSING_OBJECT = "GS0006";

    /** Brings the repository up to date before a poll: a remote's mirror fetches; a local repository has nothing. */
    public interface Refresher {
        void refresh() throws IOException;

        /** The next refresh happens even if a backoff would wait: the remote announced a change. */
        void wake();

        /** Fetches that failed since start (a metric); a local repository fetches nothing. */
        default long failures() {
            return 0;
        }
    }

    private static final Refresher LOCAL = new Refresher() {
        @Override
        public void refresh() {
        }

        @Override
        public void wake() {
        }
    };

    private final Repository repo;
    private final String branch;
    private final Refresher refresher;
    private final GitRemote remote;

    private ConfigRepository(Repository repo, String branch, Refresher refresher, GitRemote remote) {
        this.repo = repo;
        this.branch = branch;
        this.refresher = refresher;
        this.remote = remote;
    }

    /**
     * Follows a remote through its bare mirror under {@code mirrors} ({@code DATA/git-mirror}), fetched now and at
     * every {@link #refresh()}.
     *
     * @param branch the branch to follow; null means the remote's default branch
     * @throws IOException when the mirror has never been fetched and this first fetch fails
     */
    public static ConfigRepository remote(GitRemote remote, java.nio.file.Path mirrors, String branch)
            throws IOException {
        RemoteMirror mirror = RemoteMirror.open(remote, mirrors, System::nanoTime);
        ConfigRepository local = open(mirror.dir().toFile(), branch);
        return new ConfigRepository(local.repo, local.branch, mirror, remote);
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
            return new ConfigRepository(r, branch(r, dir, branch), LOCAL, null);
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

    /** Fetches a remote's mirror (see {@link RemoteMirror}); nothing for a local repository. */
    public void refresh() throws IOException {
        refresher.refresh();
    }

    /** Fetches of the remote that failed since start; 0 for a local repository (a metric). */
    public long fetchFailures() {
        return refresher.failures();
    }

    /** The next {@link #refresh()} fetches at once, backoff or not (a webhook announced a push). */
    public void wake() {
        refresher.wake();
    }

    /** The remote this repository mirrors, or null for a local repository. */
    public GitRemote remote() {
        return remote;
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

    /**
     * Whether {@code head} descends from {@code from}, as a fast-forward push requires: false after a force-push or
     * a reset that dropped {@code from}, also when the repository no longer has {@code from} at all (garbage
     * collected after the rewrite).
     */
    public boolean descendsFrom(String head, String from) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit h = walk.parseCommit(ObjectId.fromString(head));
            RevCommit f;
            try {
                f = walk.parseCommit(ObjectId.fromString(from));
            } catch (MissingObjectException e) {
                return false;
            }
            return walk.isMergedInto(f, h);
        }
    }

    /** Who, when and why of a commit. */
    public CommitInfo info(String sha) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(ObjectId.fromString(sha));
            // A malformed author line parses as no author at all: the commit is still recorded, under its time.
            var who = c.getAuthorIdent();
            return who == null
                    ? new CommitInfo(c.name(), "", "", Instant.ofEpochSecond(c.getCommitTime()),
                            c.getFullMessage().strip())
                    : new CommitInfo(c.name(), who.getName(), who.getEmailAddress(), who.getWhenAsInstant(),
                            c.getFullMessage().strip());
        }
    }

    /**
     * The commit object as git stores it: its headers (a signature too) and message, what a signature covers.
     *
     * @return null when it is larger than {@code max} bytes (and nothing of it is read)
     */
    public byte[] rawCommit(String sha, int max) throws IOException {
        var loader = repo.open(ObjectId.fromString(sha), Constants.OBJ_COMMIT);
        return loader.getSize() > max ? null : loader.getCachedBytes(max);
    }

    /**
     * Every {@code *.yaml} / {@code *.yml} file of the commit's tree, by path from the repository root, judged by
     * {@link TreeScan} from the tree's entries before any content is read: links (symbolic or submodule) are never
     * followed, a file over the per-file limit is never read, and a tree over a limit is read no further. An
     * object the tree names but the repository lacks (a shallow or partial clone) is an error of the commit, so the
     * commit is rejected instead of failing every poll.
     */
    public CommitFiles configFiles(String sha, TreeLimits limits) throws IOException {
        TreeScan scan = new TreeScan(limits);
        Map<String, ObjectId> ids = new HashMap<>();
        try (RevWalk walk = new RevWalk(repo); TreeWalk tree = new TreeWalk(repo)) {
            tree.addTree(walk.parseCommit(ObjectId.fromString(sha)).getTree());
            tree.setRecursive(true);
            ObjectReader reader = tree.getObjectReader();
            boolean more = true;
            while (more && tree.next()) {
                String path = tree.getPathString();
                FileMode mode = tree.getFileMode(0);
                TreeEntry.Kind kind = FileMode.GITLINK.equals(mode) ? TreeEntry.Kind.GITLINK
                        : FileMode.SYMLINK.equals(mode) ? TreeEntry.Kind.SYMLINK : TreeEntry.Kind.FILE;
                // The size from the object's header: nothing is read or inflated before the limits are checked.
                long size = kind != TreeEntry.Kind.FILE ? 0
                        : reader.getObjectSize(tree.getObjectId(0), Constants.OBJ_BLOB);
                more = scan.accept(new TreeEntry(path, kind, size));
                if (kind == TreeEntry.Kind.FILE && ConfigCompiler.isConfigFile(path)) {
                    ids.put(path, tree.getObjectId(0));
                }
            }
            TreeScan.Result result = scan.result();
            Map<String, byte[]> files = new TreeMap<>();
            for (String path : result.toRead()) {
                files.put(path, reader.open(ids.get(path), Constants.OBJ_BLOB).getBytes());
            }
            result.oversized().forEach(path -> files.put(path, CommitFiles.oversized()));
            return CommitFiles.of(result, files, limits);
        } catch (MissingObjectException e) {
            return CommitFiles.unreadable(new Diagnostic(MISSING_OBJECT, Diagnostic.Severity.ERROR, "", 1, 1, "",
                    "", "the tree names an object this repository does not have (" + e.getMessage()
                    + "; a shallow or partial clone?); the commit is not read"));
        }
    }

    /** The remote's URL, or the repository's directory, as users named it. */
    @Override
    public String toString() {
        return remote != null ? remote.url() : (repo.isBare() ? repo.getDirectory() : repo.getWorkTree()).toString();
    }

    @Override
    public void close() {
        repo.close();
    }
}
