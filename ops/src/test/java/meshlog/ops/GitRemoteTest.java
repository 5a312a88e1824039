package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import meshlog.gitsync.git.GitRemote;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshlog up --repo URL} against real git servers on 127.0.0.1: a commit pushed to the remote is fetched into
 * the mirror, recorded in a real Kafka log and applied by the reconciler (its state names the commit). Each remote
 * kind: {@code file://}, a real {@code git daemon}, an SSH server (Apache MINA sshd, strict known_hosts), and git's
 * own {@code http-backend} behind a token check.
 */
class GitRemoteTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;
    MeshRepo work;
    MeshlogNode node;

    /** A bare repository {@code root/mesh.git} with one commit, pushed from the work repository {@code work}. */
    String upstream(Path root) throws Exception {
        Files.createDirectories(root);
        Git.init().setBare(true).setDirectory(root.resolve("mesh.git").toFile()).setInitialBranch("main").call()
                .close();
        work = new MeshRepo(tmp.resolve("work"), 7001, 7002);
        String first = work.commit("echo-routing.yaml", MeshRepo.split(80, 20), "echo: canary 80/20");
        try (Git g = Git.open(work.dir().toFile())) {
            g.remoteAdd().setName("origin").setUri(new URIish(root.resolve("mesh.git").toUri().toString())).call();
        }
        push();
        return first;
    }

    void push() throws Exception {
        try (Git g = Git.open(work.dir().toFile())) {
            g.push().setRemote("origin").add("main").call();
        }
    }

    UpOptions options(GitRemote remote, Duration poll) {
        return new UpOptions(null, null, List.of("east"), 1, 0, 0, tmp.resolve("data"), null, poll, "127.0.0.1")
                .withRemote(remote, null);
    }

    static GitRemote remote(String url) {
        return new GitRemote(url, null, null, null, null);
    }

    String applied() {
        var c = node.reconciler().state().lastApplied();
        return c == null ? null : c.sha();
    }

    /** Pushes a commit and waits until the reconciler has applied it. */
    String pushAndAwait(int v1) throws Exception {
        String sha = work.commit("echo-routing.yaml", MeshRepo.split(v1, 100 - v1), "echo: " + v1);
        push();
        await().atMost(WAIT).until(() -> sha.equals(applied()));
        return sha;
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (work != null) {
            work.close();
        }
    }

    @Test
    void aFileRemoteIsFollowedAndRollbackPushesItsRevertCommitThere() throws Exception {
        Path root = tmp.resolve("remote");
        String first = upstream(root);
        String url = root.resolve("mesh.git").toUri().toString();
        node = MeshlogNode.start(options(remote(url), Duration.ofMillis(100)));
        await().atMost(WAIT).until(() -> first.equals(applied()));
        assertThat(node.repository().toString()).isEqualTo(url);
        assertThat(node.repository().branch()).as("the remote's default branch").isEqualTo("main");
        assertThat(Files.isDirectory(tmp.resolve("data/git-mirror").resolve(remote(url).mirrorName())
                .resolve("objects"))).isTrue();
        pushAndAwait(50);

        // Rollback with no --repo: the URL meshlog up recorded; the revert commit lands on the remote.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RollbackCommand.run(List.of("--data-dir", tmp.resolve("data").toString(), "--to", first),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String rollback = out.toString(StandardCharsets.UTF_8).strip().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("committed " + rollback.substring(0, 8)
                + " on main: the tree of " + first.substring(0, 8) + " (\"echo: canary 80/20\"); pushed to " + url);
        try (Repository bare = Git.open(root.resolve("mesh.git").toFile()).getRepository();
             RevWalk walk = new RevWalk(bare)) {
            ObjectId head = bare.resolve(Constants.R_HEADS + "main");
            assertThat(head.name()).isEqualTo(rollback);
            assertThat(walk.parseCommit(head).getTree()).isEqualTo(walk.parseCommit(ObjectId.fromString(first))
                    .getTree());
        }
        await().atMost(WAIT).until(() -> rollback.equals(applied()));
    }

    /**
     * git-sync's counters on up's /metrics, after real commits and a real failing fetch: a rejected commit adds
     * exactly 1 to the rejected counter and none to the applied one, every recorded commit is one sample of the
     * commit-to-log histogram (with its buckets), and a remote that went away counts failed fetches.
     */
    @Test
    void upsMetricsCountAppliedAndRejectedCommitsAndFailedFetches() throws Exception {
        Path root = tmp.resolve("remote");
        String first = upstream(root);
        node = MeshlogNode.start(options(remote(root.resolve("mesh.git").toUri().toString()), Duration.ofMillis(100)));
        await().atMost(WAIT).until(() -> first.equals(applied()));
        assertThat(gitSyncCounts()).containsExactly(1.0, 0.0, 0.0, 1.0);

        String bad = work.commit("echo-routing.yaml", MeshRepo.split(-1, 101), "echo: a negative weight");
        push();
        await().atMost(WAIT).until(() -> bad.equals(node.gitSync().lastProcessed()));
        assertThat(gitSyncCounts()).as("applied, rejected, fetch failures, commit-to-log samples")
                .containsExactly(1.0, 1.0, 0.0, 2.0);
        assertThat(PrometheusText.les(PrometheusText.scrape(node.adminPort()),
                "meshlog_git_sync_commit_to_log_seconds_bucket")).containsExactly(0.01, 0.05, 0.1, 0.25, 0.5, 1.0,
                2.5, 5.0, 10.0, 30.0, Double.POSITIVE_INFINITY);

        Files.move(root.resolve("mesh.git"), root.resolve("moved.git"));
        await().atMost(WAIT).until(() -> node.gitSync().lastFailure() != null);
        assertThat(gitSyncCounts().get(2)).as("failed fetches").isGreaterThanOrEqualTo(1.0);
        Files.move(root.resolve("moved.git"), root.resolve("mesh.git"));
        String good = pushAndAwait(40);
        assertThat(good).isNotEqualTo(bad);
        assertThat(gitSyncCounts()).element(0).isEqualTo(2.0);
        assertThat(gitSyncCounts()).element(1).isEqualTo(1.0);
    }

    /** Applied, rejected, failed fetches, commit-to-log samples, as up's /metrics has them. */
    List<Double> gitSyncCounts() throws Exception {
        String m = PrometheusText.scrape(node.adminPort());
        return List.of("meshlog_git_sync_commits_applied_total", "meshlog_git_sync_commits_rejected_total",
                "meshlog_git_sync_fetch_failures_total", "meshlog_git_sync_commit_to_log_seconds_count").stream()
                .map(series -> PrometheusText.value(m, series)).toList();
    }

    /** One real HTTP request to the admin port; returns status and body. */
    HttpResponse<String> post(String path, HttpRequest.BodyPublisher body, String... headers) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path))
                .timeout(Duration.ofSeconds(10)).POST(body);
        for (int i = 0; i < headers.length; i += 2) {
            req.header(headers[i], headers[i + 1]);
        }
        return HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
        return post(path, HttpRequest.BodyPublishers.ofByteArray(body), headers);
    }

    /** POSTs {@code size} bytes of a chunked body over a plain socket, never ending it; returns the status line. */
    String chunkedStatusLine(int size) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", node.adminPort())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(("POST /webhook/git HTTP/1.1\r\nHost: 127.0.0.1\r\nX-GitHub-Event: push\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(size) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            // No final chunk: the answer must come as soon as the limit is passed, not after the whole body.
            out.write(new byte[size]);
            out.flush();
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
        }
    }

    static byte[] payload(String name) throws Exception {
        try (var in = GitRemoteTest.class.getResourceAsStream("/webhook/" + name)) {
            return in.readAllBytes();
        }
    }

    static String hex(GitWebhook sign, byte[] body) {
        return HexFormat.of().formatHex(sign.hmac(body));
    }

    @Test
    void aSignedPushWebhookFetchesAtOnceWhileThePollWaitsAnHour() throws Exception {
        Path root = tmp.resolve("daemon");
        String first = upstream(root);
        String secret = "webhook-secret-0123";
        Path secretFile = Files.writeString(tmp.resolve("webhook-secret"), secret + "\n");
        GitWebhook sign = new GitWebhook(secret.getBytes(StandardCharsets.UTF_8), "main");
        try (GitDaemon daemon = GitDaemon.start(root, tmp.resolve("daemon.log"))) {
            node = MeshlogNode.start(options(remote(daemon.url("mesh.git")), Duration.ofHours(1))
                    .withRemote(remote(daemon.url("mesh.git")), secretFile));
            await().atMost(WAIT).until(() -> first.equals(applied()));
            String sha = work.commit("echo-routing.yaml", MeshRepo.split(10, 90), "echo: 10/90");
            push();

            byte[] github = payload("github-push.json");
            byte[] dev = "{\"ref\":\"refs/heads/dev\"}".getBytes(StandardCharsets.UTF_8);
            // A signed body that is not JSON, made to forge a log line and clear a terminal if printed raw.
            byte[] forged = "{\"ref\":\"refs/heads/main\n05:00:00 INFO webhook: fetching\u001b[2J"
                    .getBytes(StandardCharsets.UTF_8);
            String good = "sha256=" + hex(sign, github);
            List<HttpResponse<String>> refused = new java.util.ArrayList<>();
            String log = GitSyncLogCapture.stderr(() -> {
                refused.add(post("/webhook/git", github, "X-GitHub-Event", "push"));
                refused.add(post("/webhook/git", github, "X-GitHub-Event", "push", "X-Hub-Signature-256",
                        good + "0"));
                refused.add(post("/webhook/git", payload("gitlab-push.json"), "X-Gitlab-Event", "Push Hook",
                        "X-Gitlab-Token", "wrong"));
                refused.add(post("/webhook/git", forged, "X-Gitea-Event", "push", "X-Gitea-Signature",
                        hex(sign, forged)));
            });
            assertThat(refused).extracting(HttpResponse::statusCode).containsExactly(401, 401, 401, 400);
            assertThat(refused.get(0).body()).isEqualTo("no valid signature: send X-Hub-Signature-256 (GitHub),"
                    + " X-Gitea-Signature (Gitea) or X-Gitlab-Token (GitLab) made with the secret of"
                    + " --webhook-secret-file\n");
            // Refusals are logged once per kind and source (a client can send them at will), payload escaped.
            assertThat(log).contains("webhook refused from 127.0.0.1: 401 no valid signature")
                    .contains("webhook refused from 127.0.0.1: 400 the body is not JSON")
                    .doesNotContain("\n05:00:00").doesNotContain("\u001b");
            assertThat(log.lines().filter(l -> l.contains("webhook refused from 127.0.0.1: 401"))).hasSize(1);

            var other = post("/webhook/git", dev, "X-Gitea-Event", "push", "X-Gitea-Signature", hex(sign, dev));
            assertThat(other.statusCode()).isEqualTo(202);
            assertThat(other.body()).isEqualTo("ignored: a push to refs/heads/dev, not refs/heads/main\n");
            var large = post("/webhook/git", new byte[GitWebhook.MAX_BODY + 1], "X-GitHub-Event", "push");
            assertThat(large.statusCode()).isEqualTo(413);
            assertThat(large.body()).isEqualTo("the body is over 1048576 bytes\n");
            assertThat(chunkedStatusLine(GitWebhook.MAX_BODY + 1)).as("no Content-Length: counted as it arrives")
                    .isEqualTo("HTTP/1.1 413 Request Entity Too Large");
            var get = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + node.adminPort() + "/webhook/git")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).isEqualTo(405);
            assertThat(get.headers().firstValue("Allow")).hasValue("POST");
            Thread.sleep(500);
            assertThat(applied()).as("nothing above fetched; the next poll is an hour away").isEqualTo(first);

            // GitHub's payload and signature: fetched and applied now.
            var push = post("/webhook/git", github, "X-GitHub-Event", "push", "X-GitHub-Delivery",
                    "72d3162e-cc78-11e3-81ab-4c9367dc0958", "X-Hub-Signature-256", good);
            assertThat(push.statusCode()).isEqualTo(202);
            assertThat(push.body()).isEqualTo("fetching refs/heads/main now\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> sha.equals(applied()));

            // GitLab's token scheme and payload trigger the same fetch.
            String sha2 = work.commit("echo-routing.yaml", MeshRepo.split(20, 80), "echo: 20/80");
            push();
            assertThat(post("/webhook/git", payload("gitlab-push.json"), "X-Gitlab-Event", "Push Hook",
                    "X-Gitlab-Token", secret).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> sha2.equals(applied()));

            // Gitea's hex signature and payload, too.
            String sha3 = work.commit("echo-routing.yaml", MeshRepo.split(30, 70), "echo: 30/70");
            push();
            byte[] gitea = payload("gitea-push.json");
            assertThat(post("/webhook/git", gitea, "X-Gitea-Event", "push", "X-Gitea-Signature", hex(sign, gitea))
                    .statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> sha3.equals(applied()));

            // The rest of the admin API is still read-only.
            assertThat(post("/api/status", github).statusCode()).isEqualTo(405);
        }
    }

    @Test
    void aGitDaemonRemoteIsFollowed() throws Exception {
        Path root = tmp.resolve("daemon");
        String first = upstream(root);
        try (GitDaemon daemon = GitDaemon.start(root, tmp.resolve("daemon.log"))) {
            node = MeshlogNode.start(options(remote(daemon.url("mesh.git")), Duration.ofMillis(100)));
            await().atMost(WAIT).until(() -> first.equals(applied()));
            pushAndAwait(30);
            pushAndAwait(10);

            // Rollback pushes over git:// too (receive-pack enabled on the daemon).
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = RollbackCommand.run(List.of("--repo", daemon.url("mesh.git"), "--to", first),
                    new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
            try (Repository bare = Git.open(root.resolve("mesh.git").toFile()).getRepository()) {
                String head = bare.resolve(Constants.R_HEADS + "main").name();
                await().atMost(WAIT).until(() -> head.equals(applied()));
            }
        }
    }

    /** The git-sync component (a pod of its own) follows a remote too, mirrored under its --data-dir. */
    @Test
    void theGitSyncComponentFollowsAGitDaemonRemote() throws Exception {
        Path root = tmp.resolve("daemon");
        String first = upstream(root);
        try (GitDaemon daemon = GitDaemon.start(root, tmp.resolve("daemon.log"));
             meshlog.kafkaembedded.EmbeddedKafkaBroker broker = meshlog.kafkaembedded.EmbeddedKafkaBroker.start(
                     tmp.resolve("kafka"), 0);
             ComponentProcess p = ComponentCommand.start("git-sync", List.of("--kafka", broker.bootstrapServers(),
                     "--repo", daemon.url("mesh.git"), "--poll", "100ms", "--admin-port", "0",
                     "--data-dir", tmp.resolve("git-sync").toString()))) {
            await().atMost(WAIT).until(() -> recorded(broker).equals(List.of(first)));
            String second = work.commit("echo-routing.yaml", MeshRepo.split(30, 70), "echo: 30");
            push();
            await().atMost(WAIT).until(() -> recorded(broker).equals(List.of(first, second)));
            // The leader's term reports to the component's own /metrics (port 15018 by default).
            String m = PrometheusText.scrape(p.adminPort());
            assertThat(PrometheusText.value(m, "meshlog_git_sync_commits_applied_total")).isEqualTo(2);
            assertThat(PrometheusText.value(m, "meshlog_git_sync_commits_rejected_total")).isZero();
            assertThat(PrometheusText.value(m, "meshlog_git_sync_commit_to_log_seconds_count")).isEqualTo(2);
            assertThat(PrometheusText.value(m, "meshlog_git_sync_fetch_failures_total")).isZero();
            assertThat(Files.isDirectory(tmp.resolve("git-sync/git-mirror")
                    .resolve(remote(daemon.url("mesh.git")).mirrorName()).resolve("objects"))).isTrue();
        }
    }

    /** The commits the log closes, in order. */
    static List<String> recorded(meshlog.kafkaembedded.EmbeddedKafkaBroker broker) {
        return GitSyncTakeoverTest.closings(meshlog.configstore.kafka.KafkaEventLog.readAll(
                broker.bootstrapServers(), MeshlogNode.REPO_ID));
    }

    @Test
    void anSshRemoteIsFollowedWhenItsHostKeyIsKnown() throws Exception {
        Path root = tmp.resolve("ssh");
        String first = upstream(root);
        try (SshGitServer ssh = SshGitServer.start(root, tmp.resolve("id_ecdsa"))) {
            Path known = Files.writeString(tmp.resolve("known_hosts"), ssh.knownHostsLine());
            node = MeshlogNode.start(options(new GitRemote(ssh.url("mesh.git"), null, null, ssh.clientKey, known),
                    Duration.ofMillis(100)));
            await().atMost(WAIT).until(() -> first.equals(applied()));
            pushAndAwait(40);

            // Rollback with only --data-dir: the URL, key and known_hosts meshlog up recorded; pushed over ssh.
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = RollbackCommand.run(List.of("--data-dir", tmp.resolve("data").toString(), "--to", first),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                            StandardCharsets.UTF_8));
            assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("; pushed to " + ssh.url("mesh.git") + ";");
            String head = assertHeadHasTreeOf(root, first);
            await().atMost(WAIT).until(() -> head.equals(applied()));
        }
    }

    /** The bare repository's main has {@code commit}'s tree (a revert commit made it so); returns main's sha. */
    static String assertHeadHasTreeOf(Path root, String commit) throws Exception {
        try (Repository bare = Git.open(root.resolve("mesh.git").toFile()).getRepository();
             RevWalk walk = new RevWalk(bare)) {
            ObjectId head = bare.resolve(Constants.R_HEADS + "main");
            assertThat(head.name()).isNotEqualTo(commit);
            assertThat(walk.parseCommit(head).getTree()).isEqualTo(walk.parseCommit(ObjectId.fromString(commit))
                    .getTree());
            return head.name();
        }
    }

    static String mainOf(Path root) throws Exception {
        try (Repository bare = Git.open(root.resolve("mesh.git").toFile()).getRepository()) {
            return bare.resolve(Constants.R_HEADS + "main").name();
        }
    }

    @Test
    void anHttpRemoteWithATokenFromTheEnvironmentIsFollowedAndRollbackPushesThere() throws Exception {
        String env = "MESHLOG_TEST_GIT_TOKEN";
        String token = System.getenv(env);
        assertThat(token).as(env + " is set by ops/pom.xml's surefire configuration").startsWith("glpat-");
        Path root = tmp.resolve("http");
        String first = upstream(root);
        try (HttpGitServer http = HttpGitServer.start(root, token)) {
            String url = http.url("mesh.git");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int[] codes = new int[2];
            String log = GitSyncLogCapture.stderr(() -> {
                node = MeshlogNode.start(options(new GitRemote(url, null, env, null, null), Duration.ofMillis(100)));
                await().atMost(WAIT).until(() -> first.equals(applied()));
                pushAndAwait(25);
                // Without the token the server refuses the clone: nothing is pushed.
                String before = mainOf(root);
                codes[0] = RollbackCommand.run(List.of("--repo", url, "--to", first), new PrintStream(out, true,
                        StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
                assertThat(mainOf(root)).isEqualTo(before);
                codes[1] = RollbackCommand.run(List.of("--repo", url, "--git-token-env", env, "--to", first),
                        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                                StandardCharsets.UTF_8));
            });
            String said = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
            assertThat(codes[0]).as(said).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("meshlog rollback: " + url + ": Authentication"
                    + " is required but no CredentialsProvider has been registered (the server wants credentials: give"
                    + " --git-token-file FILE or --git-token-env VAR)\n");
            assertThat(codes[1]).as(said).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("; pushed to " + url + ";");
            String head = assertHeadHasTreeOf(root, first);
            await().atMost(WAIT).until(() -> head.equals(applied()));
            assertThat(said + log).doesNotContain(token).doesNotContain("meshlogEnvToken");
        }
    }

    @Test
    void anSshServerWithAnotherOrAnUnknownHostKeyIsRefusedClearly() throws Exception {
        Path root = tmp.resolve("ssh");
        upstream(root);
        try (SshGitServer ssh = SshGitServer.start(root, tmp.resolve("id_ecdsa"))) {
            Path other = Files.writeString(tmp.resolve("other_known_hosts"),
                    ssh.knownHostsLine(SshGitServer.ecKey()));
            Path empty = Files.writeString(tmp.resolve("empty_known_hosts"), "");
            for (Path known : List.of(other, empty)) {
                String before = Files.readString(known);
                GitRemote r = new GitRemote(ssh.url("mesh.git"), null, null, ssh.clientKey, known);
                assertThatThrownBy(() -> MeshlogNode.start(options(r, Duration.ofMillis(100))))
                        .hasMessage("cannot fetch " + ssh.url("mesh.git") + ": Server key did not validate: the"
                                + " server's host key is not in " + known + " or differs from the key there"
                                + " (known_hosts is checked strictly; add the server's key, e.g. from ssh-keyscan,"
                                + " once you have verified it)");
                assertThat(Files.readString(known)).as("nothing is added to known_hosts").isEqualTo(before);
            }
        }
    }

    @Test
    void anHttpRemoteWithATokenIsFollowedAndTheTokenIsNeverLogged() throws Exception {
        Path root = tmp.resolve("http");
        String first = upstream(root);
        String token = "ghp_meshlogTestToken0123456789";
        Path tokenFile = Files.writeString(tmp.resolve("token"), token + "\n");
        try (HttpGitServer http = HttpGitServer.start(root, token)) {
            String log = GitSyncLogCapture.stderr(() -> {
                node = MeshlogNode.start(options(new GitRemote(http.url("mesh.git"), tokenFile, null, null, null),
                        Duration.ofMillis(100)));
                await().atMost(WAIT).until(() -> first.equals(applied()));
                pushAndAwait(60);
                // The token rotates at the server but not in the file: fetches fail, the applied commit stays.
                Files.writeString(tokenFile, "ghp_wrongWrongWrong\n");
                int refusedBefore = http.refused.get();
                await().atMost(WAIT).until(() -> node.gitSync().lastFailure() != null);
                assertThat(http.refused.get()).isGreaterThan(refusedBefore);
                assertThat(node.gitSync().lastFailure().getMessage()).contains(http.url("mesh.git"))
                        .endsWith(" (the server refused the token from " + tokenFile + ")").doesNotContain("ghp_");
                Files.writeString(tokenFile, token);
                pushAndAwait(70);
            });
            assertThat(log).contains("git-sync poll failed").contains("started git-sync repo=" + http.url("mesh.git"));
            assertThat(log).doesNotContain(token).doesNotContain("ghp_wrong");
        }
    }
}
