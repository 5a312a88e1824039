package meshlog.gitsync.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;
import meshlog.configstore.LogSafe;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bare mirror of a {@link GitRemote} under the data dir: every branch of the remote, fetched (force, with prune, so
 * the mirror is what the remote is, a force-push included) on each poll and on each webhook. git-sync reads the
 * mirror as it reads a local repository. A failing fetch is retried with backoff (1 s doubling to 60 s), the mirror
 * keeps its last fetched state meanwhile, and {@link #wake()} (a webhook) retries at once.
 */
final class RemoteMirror implements ConfigRepository.Refresher {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteMirror.class);
    static final long FIRST_BACKOFF_NANOS = 1_000_000_000L;
    static final long MAX_BACKOFF_NANOS = 60_000_000_000L;

    private final GitRemote remote;
    private final Path dir;
    private final LongSupplier nanos;
    private long backoff;
    private long nextAttempt;
    private IOException lastFailure;
    private volatile boolean woken;
    private final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();

    private RemoteMirror(GitRemote remote, Path dir, LongSupplier nanos) {
        this.remote = remote;
        this.dir = dir;
        this.nanos = nanos;
    }

    /**
     * Opens (creating if need be) the mirror of {@code remote} under {@code mirrors} and fetches it once. The first
     * fetch of a mirror that has never fetched must succeed (there is nothing to follow otherwise); later starts
     * carry on from the mirror with a warning.
     */
    static RemoteMirror open(GitRemote remote, Path mirrors, LongSupplier nanos) throws IOException {
        Path dir = mirrors.resolve(remote.mirrorName());
        if (!Files.isDirectory(dir.resolve("objects"))) {
            Files.createDirectories(dir);
            try (Repository r = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build()) {
                r.create(true);
            }
        }
        RemoteMirror m = new RemoteMirror(remote, dir, nanos);
        try {
            m.fetch();
        } catch (IOException e) {
            if (m.branches().isEmpty()) {
                throw new IOException("cannot " + e.getMessage());
            }
            LOG.warn("cannot fetch {} ({}); following the mirror's last fetched state {} until a fetch succeeds",
                    LogSafe.value(remote.url()), LogSafe.value(e.getMessage(), 500), dir);
            m.failed(e);
        }
        return m;
    }

    Path dir() {
        return dir;
    }

    /** Fetches unless a failed fetch's backoff is still running (then throws that failure again, unchanged). */
    @Override
    public synchronized void refresh() throws IOException {
        if (lastFailure != null && !woken && nanos.getAsLong() - nextAttempt < 0) {
            throw lastFailure;
        }
        woken = false;
        try {
            fetch();
            if (lastFailure != null) {
                LOG.info("fetch of {} works again", LogSafe.value(remote.url()));
            }
            lastFailure = null;
            backoff = 0;
        } catch (IOException e) {
            failed(e);
            throw e;
        }
    }

    /** The next {@link #refresh()} fetches even within a backoff: a webhook says the remote has news. */
    @Override
    public void wake() {
        woken = true;
    }

    @Override
    public long failures() {
        return failures.get();
    }

    /** Called once per fetch that failed (a refresh within the backoff fetches nothing, so counts nothing). */
    private void failed(IOException e) {
        failures.incrementAndGet();
        // git-sync logs a failure once per change of its text, so a failure that lasts is logged once.
        lastFailure = e;
        backoff = backoff == 0 ? FIRST_BACKOFF_NANOS : Math.min(MAX_BACKOFF_NANOS, backoff * 2);
        nextAttempt = nanos.getAsLong() + backoff;
    }

    private void fetch() throws IOException {
        String token = null;
        try (Git git = Git.open(dir.toFile())) {
            var fetch = git.fetch().setRemote(remote.url()).setRemoveDeletedRefs(true)
                    .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + "*:" + Constants.R_HEADS + "*"))
                    .setTimeout(30);
            token = remote.configure(fetch, dir.resolve("meshlog-ssh"));
            FetchResult result = fetch.call();
            followRemoteHead(git.getRepository(), result);
        } catch (GitAPIException | IOException | RuntimeException e) {
            // A new exception carrying only the scrubbed text: no cause whose message might hold the token.
            throw new IOException("fetch " + remote.url() + ": " + reason(GitRemote.scrub(describe(e), token)));
        }
    }

    /** JGit's message without the URL it repeats, and what to do where JGit's own words do not say. */
    private String reason(String message) {
        String m = message.startsWith(remote.url() + ": ") ? message.substring(remote.url().length() + 2) : message;
        return remote.explain(m);
    }

    /** The mirror's HEAD names the remote's default branch, so {@code --branch} may be left out. */
    private static void followRemoteHead(Repository r, FetchResult result) throws IOException {
        Ref head = result.getAdvertisedRef(Constants.HEAD);
        if (head == null) {
            return;
        }
        String target = null;
        if (head.isSymbolic()) {
            target = head.getTarget().getName();
        } else if (head.getObjectId() != null) {
            ObjectId id = head.getObjectId();
            // Without the symref capability: the branch at HEAD's commit, main and master first.
            for (String name : List.of("main", "master")) {
                Ref b = result.getAdvertisedRef(Constants.R_HEADS + name);
                if (b != null && id.equals(b.getObjectId())) {
                    target = b.getName();
                    break;
                }
            }
        }
        if (target != null && target.startsWith(Constants.R_HEADS) && !target.equals(r.getFullBranch())) {
            RefUpdate u = r.updateRef(Constants.HEAD);
            u.disableRefLog();
            u.link(target);
        }
    }

    private List<String> branches() throws IOException {
        try (Repository r = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build()) {
            return r.getRefDatabase().getRefsByPrefix(Constants.R_HEADS).stream().map(Ref::getName).toList();
        }
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append(": ").append(c.getMessage());
            }
        }
        return sb.toString();
    }
}
