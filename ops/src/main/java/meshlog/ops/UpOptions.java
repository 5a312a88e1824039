package meshlog.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import meshlog.configstore.kafka.KafkaSettings;
import meshlog.gitsync.TreeLimits;
import meshlog.gitsync.git.GitRemote;
import meshlog.gitsync.signing.CommitSignatures;
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
 * @param remote when {@code --repo} is a URL: the remote, fetched into a mirror under {@code dataDir}; then
 *     {@code repo} is null
 * @param webhookSecretFile null: no {@code POST /webhook/git}; else the file holding the webhook's shared secret
 * @param kafkaSettings {@code --kafka-config} and the topic flags, for {@code kafka}
 * @param signatures {@code --require-signed}: the allowed keys, read at start; null: signatures are not checked
 * @param ca the CA server's port and the API servers that review service-account tokens
 * @param kubeconfigs {@code --kubeconfig}: by cluster, the kubeconfig of the API server whose Services the node's
 *     own discovery watches (none: discovery runs as {@code meshlog discovery} beside it, or not at all)
 */
record UpOptions(Path repo, String branch, List<String> clusters, int replicas, int xdsPort, int adminPort,
                 Path dataDir, String kafka, Duration poll, String bind, Path adminTokenFile, TreeLimits limits,
                 EdgeLimits edge, Duration stopTimeout, GitRemote remote, Path webhookSecretFile,
                 KafkaSettings kafkaSettings, CommitSignatures signatures, CaOptions ca,
                 java.util.SortedMap<String, Path> kubeconfigs) {

    static final Set<String> FLAGS = union(CaOptions.FLAGS, "repo", "branch", "clusters", "replicas", "xds-port", "admin-port",
            "data-dir", "kafka", "poll", "bind", "admin-token-file", "max-files", "max-repo-bytes",
            "max-commit-bytes", "max-commit-nodes", "xds-max-node-id", "xds-max-metadata", "xds-max-message",
            "xds-requests-per-second", "xds-request-burst", "xds-max-streams-per-address", "xds-max-streams",
            "xds-max-pending-bytes", "xds-max-connection-age", "stop-timeout", "git-token-file", "git-token-env",
            "git-ssh-key", "git-known-hosts", "webhook-secret-file", "kafka-config", "topic-replication-factor",
            "topic-partitions", "allowed-pgp-keys", "allowed-signers", "kubeconfig");
    /** Flags without a value. */
    static final Set<String> BOOLEANS = Set.of("require-signed", CaOptions.INSECURE_PLAINTEXT);

    private static Set<String> union(Set<String> a, String... b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(Set.of(b));
        return Set.copyOf(all);
    }

    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    UpOptions {
        clusters = List.copyOf(clusters);
        limits = limits == null ? TreeLimits.DEFAULTS : limits;
        edge = edge == null ? EdgeLimits.DEFAULTS : edge;
        stopTimeout = stopTimeout == null ? STOP_TIMEOUT : stopTimeout;
        kafkaSettings = kafkaSettings == null ? KafkaSettings.DEFAULTS : kafkaSettings;
        ca = ca == null ? CaOptions.ANY_PORT : ca;
        kubeconfigs = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(
                kubeconfigs == null ? Map.of() : kubeconfigs));
    }

    /** Without discovery of its own. */
    UpOptions(Path repo, String branch, List<String> clusters, int replicas, int xdsPort, int adminPort,
              Path dataDir, String kafka, Duration poll, String bind, Path adminTokenFile, TreeLimits limits,
              EdgeLimits edge, Duration stopTimeout, GitRemote remote, Path webhookSecretFile,
              KafkaSettings kafkaSettings, CommitSignatures signatures, CaOptions ca) {
        this(repo, branch, clusters, replicas, xdsPort, adminPort, dataDir, kafka, poll, bind, adminTokenFile, limits,
                edge, stopTimeout, remote, webhookSecretFile, kafkaSettings, signatures, ca, null);
    }

    /** These options with discovery of the clusters named, in the node. */
    UpOptions withKubeconfigs(Map<String, Path> k) {
        return new UpOptions(repo, branch, clusters, replicas, xdsPort, adminPort, dataDir, kafka, poll, bind,
                adminTokenFile, limits, edge, stopTimeout, remote, webhookSecretFile, kafkaSettings, signatures, ca,
                new java.util.TreeMap<>(k));
    }

    /** The same options against {@code kafka}, used with {@code settings}. */
    UpOptions withKafka(String kafka, KafkaSettings settings) {
        return new UpOptions(repo, branch, clusters, replicas, xdsPort, adminPort, dataDir, kafka, poll, bind,
                adminTokenFile, limits, edge, stopTimeout, remote, webhookSecretFile, settings, signatures, ca,
                kubeconfigs);
    }

    /** Without an admin token and with the default limits. */
    UpOptions(Path repo, String branch, List<String> clusters, int replicas, int xdsPort, int adminPort,
              Path dataDir, String kafka, Duration poll, String bind) {
        this(repo, branch, clusters, replicas, xdsPort, adminPort, dataDir, kafka, poll, bind, null, null, null, null,
                null, null, null, null, null);
    }

    /** With the default xDS edge limits and stop timeout. */
    UpOptions(Path repo, String branch, List<String> clusters, int replicas, int xdsPort, int adminPort,
              Path dataDir, String kafka, Duration poll, String bind, Path adminTokenFile, TreeLimits limits) {
        this(repo, branch, clusters, replicas, xdsPort, adminPort, dataDir, kafka, poll, bind, adminTokenFile, limits,
                null, null, null, null, null, null, null);
    }

    /** These options following {@code remote} instead of a local directory, with a webhook secret or none. */
    UpOptions withRemote(GitRemote remote, Path webhookSecretFile) {
        return new UpOptions(remote == null ? repo : null, branch, clusters, replicas, xdsPort, adminPort, dataDir,
                kafka, poll, bind, adminTokenFile, limits, edge, stopTimeout, remote, webhookSecretFile, kafkaSettings,
                signatures, ca, kubeconfigs);
    }

    /** What {@code --repo} named: the remote's URL or the directory. */
    String repoName() {
        return remote != null ? remote.url() : repo.toString();
    }

    static UpOptions parse(List<String> args) {
        Flags f = Flags.parse(args, FLAGS, BOOLEANS);
        if (!f.positional().isEmpty()) {
            throw new Flags.UsageException("unexpected argument " + f.positional().get(0));
        }
        if (!f.has("repo")) {
            throw new Flags.UsageException("--repo DIR|URL is required (create one with: meshlog init DIR)");
        }
        String repo = f.get("repo", "");
        GitRemote remote = remote(f, repo);
        List<String> clusters = Arrays.stream(f.get("clusters", "east,west").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        int replicas = f.intValue("replicas", 2);
        if (replicas < 1 || clusters.isEmpty()) {
            throw new Flags.UsageException("need at least one cluster and --replicas >= 1");
        }
        TreeLimits limits = limits(f);
        return new UpOptions(remote != null ? null : Path.of(repo), f.get("branch", null), clusters, replicas,
                port(f, "xds-port", 15010), port(f, "admin-port", 15014), Path.of(f.get("data-dir", ".meshlog")),
                f.get("kafka", null), f.duration("poll", Duration.ofSeconds(1)), f.get("bind", "127.0.0.1"),
                f.has("admin-token-file") ? Path.of(f.get("admin-token-file", "")) : null, limits, edge(f),
                f.duration("stop-timeout", STOP_TIMEOUT), remote,
                webhookSecretFile(f), KafkaFlags.parse(f), signatures(f), CaOptions.parse(f),
                kubeconfigs(f));
    }

    /** {@code --kubeconfig CLUSTER=FILE[,CLUSTER=FILE...]}, every file checked now. */
    static java.util.SortedMap<String, Path> kubeconfigs(Flags f) {
        java.util.SortedMap<String, Path> out = new java.util.TreeMap<>();
        if (!f.has("kubeconfig")) {
            return out;
        }
        for (String entry : f.get("kubeconfig", "").split(",")) {
            int eq = entry.indexOf('=');
            String cluster = eq < 0 ? "" : entry.substring(0, eq).strip();
            Path file = eq < 0 ? null : Path.of(entry.substring(eq + 1).strip());
            if (cluster.isEmpty() || file.toString().isEmpty()) {
                throw new Flags.UsageException("--kubeconfig takes CLUSTER=FILE[,CLUSTER=FILE...], got "
                        + meshlog.configstore.LogSafe.value(entry));
            }
            if (!Files.isRegularFile(file)) {
                throw new Flags.UsageException("--kubeconfig " + meshlog.configstore.LogSafe.value(entry)
                        + ": no such file");
            }
            if (out.put(cluster, file) != null) {
                throw new Flags.UsageException("--kubeconfig names cluster "
                        + meshlog.configstore.LogSafe.value(cluster) + " twice");
            }
        }
        return out;
    }

    /**
     * {@code --require-signed} with {@code --allowed-pgp-keys} and/or {@code --allowed-signers}, as {@code up} and
     * {@code git-sync} take them: the files are read now, so a mistake in one stops the start naming file and line.
     *
     * @return null without {@code --require-signed}
     */
    static CommitSignatures signatures(Flags f) {
        if (!f.bool("require-signed")) {
            if (f.has("allowed-pgp-keys") || f.has("allowed-signers")) {
                throw new Flags.UsageException("--allowed-pgp-keys and --allowed-signers need --require-signed"
                        + " (without it, signatures are not checked)");
            }
            return null;
        }
        try {
            return CommitSignatures.load(path(f, "allowed-pgp-keys"), path(f, "allowed-signers"),
                    java.time.Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw new Flags.UsageException(e.getMessage());
        }
    }

    /** The webhook's secret file, checked now so a typo stops {@code up} before anything starts. */
    private static Path webhookSecretFile(Flags f) {
        Path p = path(f, "webhook-secret-file");
        if (p != null && !Files.isRegularFile(p)) {
            throw new Flags.UsageException("--webhook-secret-file " + p + " does not exist or is not a file");
        }
        return p;
    }

    /** The remote {@code --repo} names with its credential flags; null for a directory (which takes none). */
    static GitRemote remote(Flags f, String repo) {
        boolean credentials = f.has("git-token-file") || f.has("git-token-env") || f.has("git-ssh-key")
                || f.has("git-known-hosts");
        if (!GitRemote.isUrl(repo)) {
            if (credentials) {
                throw new Flags.UsageException("--git-token-file, --git-token-env, --git-ssh-key and --git-known-hosts"
                        + " are for a remote --repo URL, not a directory");
            }
            return null;
        }
        try {
            return new GitRemote(repo, path(f, "git-token-file"), f.get("git-token-env", null),
                    path(f, "git-ssh-key"), path(f, "git-known-hosts"));
        } catch (IllegalArgumentException e) {
            throw new Flags.UsageException(e.getMessage());
        }
    }

    private static Path path(Flags f, String name) {
        return f.has(name) ? Path.of(f.get(name, "")) : null;
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
                positive(f, "xds-max-pending-bytes", d.maxPendingBytes()),
                connectionAge(f.duration("xds-max-connection-age", d.maxConnectionAge())));
    }

    private static Duration connectionAge(Duration age) {
        if (age.isNegative()) {
            throw new Flags.UsageException("--xds-max-connection-age must be 0 (for ever) or positive, got " + age);
        }
        return age;
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

    /** A port flag, 0..65535; {@code up} and the component commands take them the same way. */
    static int port(Flags f, String name, int dflt) {
        int p = f.intValue(name, dflt);
        if (p < 0 || p > 65535) {
            throw new Flags.UsageException("--" + name + " must be 0..65535, got " + p);
        }
        return p;
    }
}
