package meshlog.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import meshlog.configstore.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;

/** A running control plane with backends, a repository and one client per distributor, for benchmarks. */
public final class BenchSupport {

    private BenchSupport() {
    }

    /** Runs a {@code meshlog} command in this JVM, as {@code bin/meshlog} would without the JVM's start. */
    public static int cli(List<String> args, java.io.PrintStream out, java.io.PrintStream err) {
        return Main.run(args, out, err);
    }

    /** Everything a benchmark drives; closing stops it all. */
    public static final class Mesh implements AutoCloseable {
        final EchoBackends backends;
        final MeshRepo repo;
        final MeshlogNode node;
        final List<ProxylessClient> clients = new ArrayList<>();
        /** A git server the node follows, for {@link #startRemote}; null for a local repository. */
        GitDaemon daemon;

        Mesh(EchoBackends backends, MeshRepo repo, MeshlogNode node) {
            this.backends = backends;
            this.repo = repo;
            this.node = node;
            for (MeshlogNode.Replica r : node.replicas()) {
                clients.add(new ProxylessClient(r.server().address(), r.cluster(), MeshRepo.TARGET));
            }
        }

        /** Commits a route sending all traffic to {@code version}; returns the commit's sha. */
        public String commitAllTo(String version) throws Exception {
            return repo.commit("echo-routing.yaml", version.equals("v1") ? MeshRepo.split(100, 0) : MeshRepo.split(0, 100),
                    "all to " + version);
        }

        /**
         * Waits until every client's calls land on {@code version}; bounded by {@code limit}.
         *
         * @param sha the commit being waited for, or null
         * @return nanoTime when git-sync had recorded {@code sha} in the log (first seen), or -1
         */
        public long awaitAll(String version, String sha, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            long recorded = -1;
            for (ProxylessClient c : clients) {
                while (!answers(c, version)) {
                    if (recorded < 0 && sha != null && sha.equals(node.gitSync().lastProcessed())) {
                        recorded = System.nanoTime();
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("clients did not follow to " + version + " in " + limit);
                    }
                    Thread.sleep(1);
                }
            }
            return recorded;
        }

        /** Pushes the work repository's main to the remote {@link #startRemote} made. */
        public void push() throws Exception {
            try (org.eclipse.jgit.api.Git g = org.eclipse.jgit.api.Git.open(repo.dir().toFile())) {
                g.push().setRemote("origin").add("main").call();
            }
        }

        /**
         * Waits until any one client's calls land on {@code version}.
         *
         * @return nanoTime then, and nanoTime when git-sync was first seen to have recorded {@code sha} (or -1)
         */
        public long[] awaitFirst(String version, String sha, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            long recorded = -1;
            while (System.nanoTime() < deadline) {
                for (ProxylessClient c : clients) {
                    if (recorded < 0 && sha.equals(node.gitSync().lastProcessed())) {
                        recorded = System.nanoTime();
                    }
                    if (answers(c, version)) {
                        return new long[] {System.nanoTime(), recorded < 0 ? System.nanoTime() : recorded};
                    }
                }
                Thread.sleep(1);
            }
            throw new IllegalStateException("no client followed to " + version + " in " + limit);
        }

        /** A GitHub push webhook to the node's admin port, signed with {@code secret}; returns the status. */
        public int githubPushWebhook(String secret) throws Exception {
            byte[] body = "{\"ref\":\"refs/heads/main\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String sig = "sha256=" + java.util.HexFormat.of().formatHex(new GitWebhook(
                    secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "main").hmac(body));
            var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                    + node.adminPort() + "/webhook/git")).header("X-GitHub-Event", "push")
                    .header("X-Hub-Signature-256", sig).POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                    .timeout(Duration.ofSeconds(10)).build();
            return HTTP.send(req, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        }

        private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

        private static boolean answers(ProxylessClient c, String version) {
            try {
                return EchoBackends.who(c.channel).equals(version);
            } catch (RuntimeException e) {
                return false; // not resolved yet
            }
        }

        /** Round trips of one record through a transaction and a read_committed consumer, in microseconds. */
        public List<Long> kafkaRoundTrips(int n) throws Exception {
            String topic = "meshlog.bench-baseline";
            try (var admin = KafkaClients.admin(node.bootstrap())) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            }
            List<Long> out = new ArrayList<>();
            TopicPartition tp = new TopicPartition(topic, 0);
            try (KafkaProducer<String, byte[]> p = KafkaClients.transactionalProducer(node.bootstrap(), "bench");
                 KafkaConsumer<String, byte[]> c = KafkaClients.committedReader(node.bootstrap(), "bench")) {
                p.initTransactions();
                c.assign(List.of(tp));
                c.seekToEnd(List.of(tp));
                c.position(tp);
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    p.beginTransaction();
                    p.send(new ProducerRecord<>(topic, "k", new byte[200]));
                    p.commitTransaction();
                    int got = 0;
                    for (int polls = 0; got == 0 && polls < 1000; polls++) {
                        ConsumerRecords<String, byte[]> r = c.poll(Duration.ofMillis(10));
                        got = r.count();
                    }
                    out.add((System.nanoTime() - t0) / 1_000);
                }
            }
            return out;
        }

        @Override
        public void close() throws Exception {
            for (ProxylessClient c : clients) {
                c.close();
            }
            node.close();
            backends.close();
            repo.close();
            if (daemon != null) {
                daemon.close();
            }
        }
    }

    public static Mesh start(Path tmp, Duration poll) throws Exception {
        EchoBackends backends = EchoBackends.start("v1", "v2");
        MeshRepo repo = new MeshRepo(tmp.resolve("mesh"), backends.port("v1"), backends.port("v2"));
        repo.commit("echo-routing.yaml", MeshRepo.split(100, 0), "all to v1");
        MeshlogNode node = MeshlogNode.start(new UpOptions(repo.dir(), null, List.of("east", "west"), 2, 0, 0,
                tmp.resolve("data"), null, poll, "127.0.0.1"));
        return new Mesh(backends, repo, node);
    }

    /**
     * A mesh whose node follows a bare repository served by a real {@code git daemon} on 127.0.0.1, as
     * {@code meshlog up --repo git://... [--webhook-secret-file F]} runs it; commits reach it by {@link Mesh#push()}.
     *
     * @param webhookSecret null: no webhook
     */
    public static Mesh startRemote(Path tmp, Duration poll, String webhookSecret) throws Exception {
        EchoBackends backends = EchoBackends.start("v1", "v2");
        Path root = tmp.resolve("remote");
        Files.createDirectories(root);
        org.eclipse.jgit.api.Git.init().setBare(true).setDirectory(root.resolve("mesh.git").toFile())
                .setInitialBranch("main").call().close();
        MeshRepo repo = new MeshRepo(tmp.resolve("work"), backends.port("v1"), backends.port("v2"));
        repo.commit("echo-routing.yaml", MeshRepo.split(100, 0), "all to v1");
        try (org.eclipse.jgit.api.Git g = org.eclipse.jgit.api.Git.open(repo.dir().toFile())) {
            g.remoteAdd().setName("origin").setUri(new org.eclipse.jgit.transport.URIish(root.resolve("mesh.git")
                    .toUri().toString())).call();
            g.push().setRemote("origin").add("main").call();
        }
        GitDaemon daemon = GitDaemon.start(root, tmp.resolve("daemon.log"));
        Path secretFile = webhookSecret == null ? null : Files.writeString(tmp.resolve("webhook-secret"),
                webhookSecret);
        meshlog.gitsync.git.GitRemote remote = new meshlog.gitsync.git.GitRemote(daemon.url("mesh.git"), null, null,
                null, null);
        MeshlogNode node = MeshlogNode.start(new UpOptions(null, null, List.of("east", "west"), 2, 0, 0,
                tmp.resolve("data"), null, poll, "127.0.0.1").withRemote(remote, secretFile));
        Mesh mesh = new Mesh(backends, repo, node);
        mesh.daemon = daemon;
        return mesh;
    }

    /**
     * A distributor of {@code cluster} on a free loopback port, issuing identities from a CA under {@code dir}, with
     * the default edge limits but for streams per address: every simulated proxy comes from 127.0.0.1.
     */
    public static meshlog.xds.XdsDistributor distributor(String cluster, Path dir) {
        meshlog.ca.CertificateAuthority ca = meshlog.ca.CertificateAuthority.open(dir.resolve("ca"), "cluster.local",
                java.time.Clock.systemUTC());
        meshlog.xds.grpc.EdgeLimits d = meshlog.xds.grpc.EdgeLimits.DEFAULTS;
        meshlog.xds.grpc.EdgeLimits limits = new meshlog.xds.grpc.EdgeLimits(d.maxNodeIdBytes(),
                d.maxMetadataBytes(), d.maxMessageBytes(), d.requestsPerSecond(), d.requestBurst(), d.maxStreams(),
                d.maxStreams(), d.maxPendingBytes());
        return meshlog.xds.XdsDistributor.start(cluster, "127.0.0.1", 0, new CaIdentityIssuer(ca), s -> {
        }, limits);
    }

    /**
     * {@code meshlog up --kubeconfig} over one fabric8 mock API server per cluster (each its own JVM, as
     * {@link MockApiServer}: no kube-apiserver runs here), for the endpoint churn benchmark.
     */
    public static final class KubeMesh implements AutoCloseable {
        private final java.util.Map<String, MockApiServer> apis;
        private final MeshRepo repo;
        private final MeshlogNode node;

        KubeMesh(java.util.Map<String, MockApiServer> apis, MeshRepo repo, MeshlogNode node) {
            this.apis = apis;
            this.repo = repo;
            this.node = node;
        }

        /** A client of cluster {@code cluster}'s API server, to change objects as its controllers would. */
        public io.fabric8.kubernetes.client.KubernetesClient kube(String cluster) {
            return apis.get(cluster).kube();
        }

        /** The plaintext xDS address of {@code cluster}'s first distributor. */
        public String xds(String cluster) {
            return node.replicas().stream().filter(r -> r.cluster().equals(cluster)).findFirst().orElseThrow()
                    .server().address();
        }

        public String commit(String file, String content, String message) throws Exception {
            return repo.commit(file, content, message);
        }

        @Override
        public void close() throws Exception {
            node.close();
            repo.close();
            for (MockApiServer a : apis.values()) {
                a.close();
            }
        }
    }

    /** Mock API servers for {@code clusters}, and a node discovering them all; extra {@code up} flags appended. */
    public static KubeMesh startKube(Path tmp, List<String> clusters, List<String> upFlags) throws Exception {
        java.util.Map<String, MockApiServer> apis = new java.util.LinkedHashMap<>();
        try {
            for (String c : clusters) {
                apis.put(c, MockApiServer.start(tmp.resolve("kube-" + c), c));
            }
            MeshRepo repo = new MeshRepo(tmp.resolve("mesh"), 1, 2);
            repo.commit("echo-routing.yaml", MeshRepo.split(100, 0), "all to v1"); // the reconciler serves a commit
            List<String> args = new ArrayList<>(List.of("--repo", repo.dir().toString(), "--clusters",
                    String.join(",", clusters), "--replicas", "1", "--xds-port", "0", "--admin-port", "0",
                    "--data-dir", tmp.resolve("data").toString(), "--poll", "200ms", "--kubeconfig",
                    String.join(",", clusters.stream().map(c -> c + "=" + apis.get(c).kubeconfig()).toList())));
            args.addAll(upFlags);
            return new KubeMesh(apis, repo, MeshlogNode.start(UpOptions.parse(args)));
        } catch (Exception e) {
            for (MockApiServer a : apis.values()) {
                a.close();
            }
            throw e;
        }
    }

    public static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
