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
 * @param maxCommitNodes YAML nodes (keys, values, lists, maps; an alias counts as what it stands for) of the files
 *        read, together ({@code --max-commit-nodes}): what a compiled commit costs in memory follows its nodes
 */
public record TreeLimits(int maxFiles, long maxRepoBytes, long maxCommitBytes, long maxCommitNodes) {

    /**
     * 20,000 files, 1 GiB in all, 32 MiB of YAML, 1.5 million nodes. Measured: typical config (ServiceEntries) has
     * ~38 nodes per object and ~8 bytes per node, and a compiled commit keeps 105-170 bytes of heap per node; so
     * the node budget is ~40,000 objects (~12 MB of YAML) and at most ~250 MiB retained, within the 1 GiB heap
     * {@code bin/meshlog} gives a JVM that also runs the broker and the distributors.
     */
    public static final TreeLimits DEFAULTS = new TreeLimits(20_000, 1L << 30, 32L << 20, 1_500_000);

    public TreeLimits {
        if (maxFiles < 1 || maxRepoBytes < 1 || maxCommitBytes < 1 || maxCommitNodes < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxFiles + ", " + maxRepoBytes + ", "
                    + maxCommitBytes + ", " + maxCommitNodes);
        }
    }

    /** The largest file that is read; a larger one is rejected by the parser without being read. */
    public static int maxFileBytes() {
        return ConfigParser.MAX_FILE_BYTES;
    }
}
