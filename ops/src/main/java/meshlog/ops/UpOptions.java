package meshlog.ops;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import meshlog.configstore.kafka.KafkaSettings;
import meshlog.gitsync.TreeLimits;
import meshlog.xds.grpc.EdgeLimits;

/**
 * The flags of {@code meshlog up}; the names are fixed (scripts and checks use them).
 *
 * @param branch null: the repository's current branch
 * @param kafka null: run the embedded broker under {@code dataDir}
 * @param xdsPort first distributor port; 0 picks a free port for each
 * @param adminTokenFile null: no token; else a file holding the bearer token every admin request must carry
 * @param limits how much of a commit git-sync reads at most
 * @param edge what one xDS client may ask of a distributor
 * @param stopTimeout how long a stop signal waits for the components to close before the JVM is halted
 * @param kafkaSettings {@code --kafka-config} and the topic flags, for {@code kafka}
 */
record UpOptions(Path repo, String branch, List<String> clusters, int replicas, int xdsPort, int adminPort,
                 Path dataDir, String kafka, Duration poll, String bind, Path adminTokenFile, TreeLimits limits,
                 EdgeLimits edge, Duration stopTimeout, KafkaSettings kafkaSettings) {

    static final Set<String> FLAGS = Set.of("repo", "branch", "clusters", "replicas", "xds-port", "admin-port",
            "data-dir", "kafka", "poll", "bind", "admin-token-file", "max-files", "max-repo-bytes",
            "max-commit-bytes", "max-commit-nodes", "xds-max-node-id", "xds-max-metadata", "xds-max-message",
            "xds-requests-per-second", "xds-request-burst", "xds-max-streams-per-address", "xds-max-streams",
            "xds-max-pending-bytes", "stop-timeout", "kafka-config", "topic-replication-factor", "topic-partitions");

    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    UpOptions {
        clusters = List.copyOf(clusters);
        limits = limits == null ? TreeLimits.DEFAULTS : limits;
        edge = edge == null ? EdgeLimits.DEFAULTS : edge;
        stopTimeout = stopTimeout == null ? STOP_TIMEOUT : stopTimeout;
        kafkaSettings = kafkaSettings == null ? KafkaSettings.DEFAULTS : kafkaSettings;
    }

    /** The same options against {@code kafka}, used with {@code settings}. */
    UpOptions withKafka(String kafka, KafkaSettings settings) {
        return new UpOptions(repo, branch, clusters, replicas, xdsPort, adminPort, dataDir, kafka, poll, bind,
                adminTokenFile, limits, edge, stopTimeout, settings);
    }

    /** Without an admin token and with the default limits. */
    UpOptions(Path repo, String branch, List<String> clusters, int replicas, int xdsPort, int adminPort,
              Path dataDir, String kafka, Duration poll, String bind) {
        this(repo, branch, clusters, replicas, xdsPort, adminPort, dataDir, kafka, poll, bind, null, null, null, null, null);
    }

    /** With the default xDS edge limits and stop timeout. */
    UpOptions(Path repo, String branch, List<String> clusters, int replicas, int xdsPort, int adminPort,
              Path dataDir, String kafka, Duration poll, String bind, Path adminTokenFile, TreeLimits limits) {
        this(repo, branch, clusters, replicas, xdsPort, adminPort, dataDir, kafka, poll, bind, adminTokenFile, limits,
                null, null, null);
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
        TreeLimits limits = limits(f);
        return new UpOptions(Path.of(f.get("repo", "")), f.get("branch", null), clusters, replicas,
                port(f, "xds-port", 15010), port(f, "admin-port", 15014), Path.of(f.get("data-dir", ".meshlog")),
                f.get("kafka", null), f.duration("poll", Duration.ofSeconds(1)), f.get("bind", "127.0.0.1"),
                f.has("admin-token-file") ? Path.of(f.get("admin-token-file", "")) : null, limits, edge(f),
                f.duration("stop-timeout", STOP_TIMEOUT), KafkaFlags.parse(f));
    }

    /** {@code --max-files} and the other limits of what git-sync reads, as {@code up} and {@code git-sync} take them. */
    static TreeLimits limits(Flags f) {
        TreeLimits d = TreeLimits.DEFAULTS;
        return new TreeLimits((int) Math.min(positive(f, "max-files", d.maxFiles()), Integer.MAX_VALUE),
                positive(f, "max-repo-bytes", d.maxRepoBytes()), positive(f, "max-commit-bytes", d.maxCommitBytes()),
                positive(f, "max-commit-nodes", d.maxCommitNodes()));
    }

    /** The {@code --xds-*} limits, as {@code up} and {@code distributor} take them. */
    static EdgeLimits edge(Flags f) {
        EdgeLimits d = EdgeLimits.DEFAULTS;
        return new EdgeLimits(whole(f, "xds-max-node-id", d.maxNodeIdBytes()),
                whole(f, "xds-max-metadata", d.maxMetadataBytes()), whole(f, "xds-max-message", d.maxMessageBytes()),
                whole(f, "xds-requests-per-second", d.requestsPerSecond()),
                whole(f, "xds-request-burst", d.requestBurst()),
                whole(f, "xds-max-streams-per-address", d.maxStreamsPerAddress()),
                whole(f, "xds-max-streams", d.maxStreams()),
                positive(f, "xds-max-pending-bytes", d.maxPendingBytes()));
    }

    private static int whole(Flags f, String name, int dflt) {
        long v = positive(f, name, dflt);
        if (v > Integer.MAX_VALUE) {
            throw new Flags.UsageException("--" + name + " must be at most " + Integer.MAX_VALUE + ", got " + v);
        }
        return (int) v;
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
