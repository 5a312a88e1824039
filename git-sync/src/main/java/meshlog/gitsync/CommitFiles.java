package meshlog.gitsync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.Diagnostic;

/**
 * The config files read from one tree (a commit, or a directory for {@code meshlog validate}) and what reading the
 * tree itself found: links at config paths, a limit exceeded or an object missing (errors).
 *
 * @param complete false when reading stopped early (a limit, a missing object): the files are then not compiled
 * @param maxNodes the node budget of the files together ({@link TreeLimits#maxCommitNodes()})
 */
public record CommitFiles(Map<String, byte[]> files, List<Diagnostic> diagnostics, boolean complete,
                          long maxNodes) {

    static final String TOO_MANY_NODES = "GS0009";

    /**
     * Stands in for a file over the per-file limit, which is never read: one shared array just over the limit,
     * which the parser rejects by its length alone (it never reads or changes the bytes).
     */
    private static final byte[] OVERSIZED = new byte[TreeLimits.maxFileBytes() + 1];

    /** The stand-in for a file over the per-file limit (see {@link #OVERSIZED}). */
    public static byte[] oversized() {
        return OVERSIZED;
    }

    public CommitFiles {
        files = new TreeMap<>(files);
        diagnostics = List.copyOf(diagnostics);
    }

    /** The files read by a scan of a tree with these limits. */
    public static CommitFiles of(TreeScan.Result scan, Map<String, byte[]> files, TreeLimits limits) {
        return new CommitFiles(files, scan.diagnostics(), scan.complete(), limits.maxCommitNodes());
    }

    /** A tree that could not be read: one error, nothing to compile. */
    public static CommitFiles unreadable(Diagnostic error) {
        return new CommitFiles(Map.of(), List.of(error), false, 1);
    }

    /**
     * The tree compiled as a commit is: when reading stopped early, or the files hold more nodes than the
     * budget, only the tree's diagnostics (nothing is compiled); otherwise the compiler's diagnostics and the
     * tree's, so every mistake is reported at once.
     */
    public CompiledConfig compile() {
        if (!complete) {
            return new CompiledConfig(List.of(), diagnostics);
        }
        long nodes = 0;
        for (byte[] content : files.values()) {
            if (content != OVERSIZED) {
                nodes += YamlNodeCount.count(content, maxNodes - nodes);
            }
            if (nodes > maxNodes) {
                return new CompiledConfig(List.of(), List.of(new Diagnostic(TOO_MANY_NODES, Diagnostic.Severity.ERROR,
                        "", 1, 1, "", "", "the YAML files of the tree hold more than " + maxNodes + " nodes (limit"
                        + " --max-commit-nodes " + maxNodes + "; keys, values, lists and maps, an alias counted as"
                        + " what it stands for); nothing was compiled")));
            }
        }
        CompiledConfig compiled = ConfigCompiler.compile(files);
        List<Diagnostic> all = new ArrayList<>(compiled.diagnostics());
        all.addAll(diagnostics);
        return new CompiledConfig(compiled.resources(), all);
    }
}
