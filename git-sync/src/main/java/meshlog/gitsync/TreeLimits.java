package meshlog.gitsync;

import meshlog.gatewayapi.parse.ConfigParser;

/**
 * How much of a commit git-sync reads at most. A commit over a limit is rejected with a diagnostic naming the limit
 * (before any file content is read), so a hostile or mistaken commit costs a bounded amount of memory and time and
 * the commits after it proceed. The per-file limit is the parser's ({@link ConfigParser#MAX_FILE_BYTES}).
 *
 * @param maxFiles entries of the tree, every file, link and submodule, config or not ({@code --max-files})
 * @param maxRepoBytes all files of the tree together, config or not ({@code --max-repo-bytes})
 * @param maxCommitBytes the YAML files that are read, together ({@code --max-commit-bytes})
 */
public record TreeLimits(int maxFiles, long maxRepoBytes, long maxCommitBytes) {

    /**
     * 20,000 files, 1 GiB in all, 64 MiB of YAML: a large mesh's config is a few MiB in a few thousand files;
     * 64 MiB of YAML compiles within the 1 GiB heap {@code bin/meshlog} gives the JVM.
     */
    public static final TreeLimits DEFAULTS = new TreeLimits(20_000, 1L << 30, 64L << 20);

    public TreeLimits {
        if (maxFiles < 1 || maxRepoBytes < 1 || maxCommitBytes < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxFiles + ", " + maxRepoBytes + ", "
                    + maxCommitBytes);
        }
    }

    /** The largest file that is read; a larger one is rejected by the parser without being read. */
    public static int maxFileBytes() {
        return ConfigParser.MAX_FILE_BYTES;
    }
}
