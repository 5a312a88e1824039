package meshlog.ops;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import meshlog.gitsync.TreeLimits;

/**
 * The flags of {@code meshlog up}; the names are fixed (scripts and checks use them).
 *
 * @param branch null: the repository's current branch
 * @param kafka null: run the embedded broker under {@code dataDir}
 * @param xdsPort first distributor port; 0 picks a free port for each
 * @param adminTokenFile null: no token; else a file holding the bearer token every admin request must carry
 * @param limits how much of a commit git-sync reads at most
 */
record UpOptions(Path repo, String branch, List<String> clusters, int replicas, int xdsPort, int adminPort,
                 Path dataDir, String kafka, Duration poll, String bind, Path adminTokenFile, TreeLimits limits) {

    static final Set<String> FLAGS = Set.of("repo", "branch", "clusters", "replicas", "xds-port", "admin-port",
            "data-dir", "kafka", "poll", "bind", "admin-token-file", "max-files", "max-repo-bytes",
            "max-commit-bytes", "max-commit-nodes");

    UpOptions {
        clusters = List.copyOf(clusters);
        limits = limits == null ? TreeLimits.DEFAULTS : limits;
    }

    /** Without an admin token and with the default limits. */
    UpOptions(Path repo, String branch, List<String> clusters, int replicas, int xdsPort, int adminPort,
              Path dataDir, String kafka, Duration poll, String bind) {
        this(repo, branch, clusters, replicas, xdsPort, adminPort, dataDir, kafka, poll, bind, null, null);
    }

    static UpOptions parse(List<String> args) {
        Flags f = Flags.parse(args, FLAGS, Set.of());
        if (!f.positional().isEmpty()) {
            throw new Flags.UsageException("unexpected argument " + f.positional().get(0));
        }
        if (!f.has("repo")) {
            throw new Flags.UsageException("--repo DIR is required (create one with: meshlog init DIR)");
        }
        List<String> clusters = Arrays.stream(f.get("clusters", "east,west").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        int replicas = f.intValue("replicas", 2);
        if (replicas < 1 || clusters.isEmpty()) {
            throw new Flags.UsageException("need at least one cluster and --replicas >= 1");
        }
        TreeLimits d = TreeLimits.DEFAULTS;
        TreeLimits limits = new TreeLimits((int) Math.min(positive(f, "max-files", d.maxFiles()), Integer.MAX_VALUE),
                positive(f, "max-repo-bytes", d.maxRepoBytes()), positive(f, "max-commit-bytes", d.maxCommitBytes()),
                positive(f, "max-commit-nodes", d.maxCommitNodes()));
        return new UpOptions(Path.of(f.get("repo", "")), f.get("branch", null), clusters, replicas,
                port(f, "xds-port", 15010), port(f, "admin-port", 15014), Path.of(f.get("data-dir", ".meshlog")),
                f.get("kafka", null), f.duration("poll", Duration.ofSeconds(1)), f.get("bind", "127.0.0.1"),
                f.has("admin-token-file") ? Path.of(f.get("admin-token-file", "")) : null, limits);
    }

    private static long positive(Flags f, String name, long dflt) {
        long v = f.bytes(name, dflt);
        if (v < 1) {
            throw new Flags.UsageException("--" + name + " must be at least 1, got " + v);
        }
        return v;
    }

    private static int port(Flags f, String name, int dflt) {
        int p = f.intValue(name, dflt);
        if (p < 0 || p > 65535) {
            throw new Flags.UsageException("--" + name + " must be 0..65535, got " + p);
        }
        return p;
    }
}
