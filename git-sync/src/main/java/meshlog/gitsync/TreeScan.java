package meshlog.gitsync;

import java.util.ArrayList;
import java.util.List;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.Diagnostic;

/**
 * Judges a tree from its entries alone, before any content is read: which files are config to read, which config
 * paths are links (never followed: an error), and whether a limit is exceeded (an error, and nothing is read). The
 * one rule git-sync applies to a commit and {@code meshlog validate} to a directory, so both judge a tree alike.
 *
 * <p>A link at a config path rejects the commit rather than being skipped: the author meant it as config, and
 * skipping it would apply the commit without it (deleting its objects if the link replaced the file). Links at
 * other paths (a submodule of charts, a link to a directory) are not config and are passed over, unfollowed.
 *
 * <p>Fed one entry at a time while the tree is walked; {@link #accept} returns false once a limit is exceeded, so
 * a tree of a million entries is not walked to its end.
 */
public final class TreeScan {

    static final String TOO_MANY_FILES = "GS0001";
    static final String REPO_TOO_LARGE = "GS0002";
    static final String COMMIT_TOO_LARGE = "GS0003";
    static final String SYMLINK = "GS0004";
    static final String GITLINK = "GS0005";

    /**
     * The config files to read ({@code oversized}: over the per-file limit, not to be read), the findings, and
     * whether the scan saw the whole tree ({@code complete} is false after a limit: nothing is to be read).
     */
    public record Result(List<String> toRead, List<String> oversized, List<Diagnostic> diagnostics,
                         boolean complete) {
        public Result {
            toRead = List.copyOf(toRead);
            oversized = List.copyOf(oversized);
            diagnostics = List.copyOf(diagnostics);
        }

        public boolean rejected() {
            return diagnostics.stream().anyMatch(Diagnostic::isError);
        }
    }

    private final TreeLimits limits;
    private final List<String> toRead = new ArrayList<>();
    private final List<String> oversized = new ArrayList<>();
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private int files;
    private long repoBytes;
    private long commitBytes;
    private boolean over;

    public TreeScan(TreeLimits limits) {
        this.limits = limits;
    }

    /** Takes the next entry; false once a limit is exceeded (the scan is then over and the tree rejected). */
    public boolean accept(TreeEntry e) {
        return accept(e, ConfigCompiler.isConfigFile(e.path()));
    }

    /**
     * As {@link #accept(TreeEntry)}, when the caller knows whether the entry is config: {@code meshlog validate}
     * judges a path relative to the directory it was given, and a file named on its command line is config.
     */
    public boolean accept(TreeEntry e, boolean config) {
        if (over) {
            return false;
        }
        files++;
        repoBytes += e.size();
        if (files > limits.maxFiles()) {
            return limit(TOO_MANY_FILES, "the tree has more than " + limits.maxFiles() + " files (limit --max-files "
                    + limits.maxFiles() + ", files, links and submodules counted, config or not)");
        }
        if (repoBytes > limits.maxRepoBytes()) {
            return limit(REPO_TOO_LARGE, "the files of the tree total more than " + limits.maxRepoBytes()
                    + " bytes (limit --max-repo-bytes " + limits.maxRepoBytes() + ", config or not)");
        }
        if (!config) {
            return true;
        }
        switch (e.kind()) {
            case SYMLINK -> error(e.path(), SYMLINK, "a symbolic link: links are never followed, so its target is"
                    + " not read; commit the file itself, or give the link a name that is not *.yaml or *.yml");
            case GITLINK -> error(e.path(), GITLINK, "a submodule (gitlink): its files are a commit of another"
                    + " repository, which meshlog does not read; commit the config itself, or give the submodule a"
                    + " path that is not *.yaml or *.yml");
            case FILE -> {
                if (e.size() > TreeLimits.maxFileBytes()) {
                    oversized.add(e.path());
                    return true;
                }
                commitBytes += e.size();
                if (commitBytes > limits.maxCommitBytes()) {
                    return limit(COMMIT_TOO_LARGE, "the YAML files of the tree total more than "
                            + limits.maxCommitBytes() + " bytes (limit --max-commit-bytes " + limits.maxCommitBytes()
                            + "); nothing was read");
                }
                toRead.add(e.path());
            }
            default -> throw new AssertionError(e.kind());
        }
        return true;
    }

    /** What the scan found; after a limit, only that error (nothing is to be read). */
    public Result result() {
        return over ? new Result(List.of(), List.of(), diagnostics, false)
                : new Result(toRead, oversized, diagnostics, true);
    }

    private boolean limit(String code, String message) {
        over = true;
        diagnostics.clear();
        diagnostics.add(new Diagnostic(code, Diagnostic.Severity.ERROR, "", 1, 1, "", "", message));
        return false;
    }

    private void error(String path, String code, String message) {
        diagnostics.add(new Diagnostic(code, Diagnostic.Severity.ERROR, path, 1, 1, "", "", message));
    }
}
