package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.kafka.Topics;
import meshlog.configstore.state.ConfigState;
import meshlog.gatewayapi.ResourceKey;
import meshlog.configstore.kafka.KafkaEventLog;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.kafkaembedded.EmbeddedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshlog git-sync --require-signed --allowed-signers F} against a real broker, following a repository that
 * git itself writes: commits signed by {@code git commit -S} with {@code gpg.format=ssh} apply; an unsigned one
 * between them is recorded as rejected with the reason, nothing of it is served, and {@code meshlog audit} shows why.
 */
class RequireSignedEndToEndTest {

    static final String SE = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: echo, namespace: demo}
            spec:
              hosts: [echo.demo.svc.cluster.local]
              location: MESH_INTERNAL
              resolution: STATIC
              ports: [{number: 8080, name: http, protocol: HTTP}]
              endpoints: [{address: 127.0.0.1, ports: {http: %d}}]
            """;

    @TempDir
    Path tmp;

    @Test
    void anUnsignedCommitBetweenSignedOnesIsRejectedAndAuditSaysWhy() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("mesh"));
        Path keys = Files.createDirectories(tmp.resolve("keys"));
        sh(keys, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice", "-f", "alice");
        String[] pub = Files.readString(keys.resolve("alice.pub")).strip().split(" ");
        Path signers = Files.writeString(keys.resolve("allowed_signers"),
                "alice@example.com namespaces=\"git\" " + pub[0] + " " + pub[1] + "\n");
        sh(repo, "git", "init", "-q", "-b", "main");
        String first = commit(repo, SE.formatted(7001), "echo on 7001", keys.resolve("alice"));

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(tmp.resolve("kafka"), 0)) {
            String kafka = broker.bootstrapServers();
            Topics.ensure(kafka);
            Flags f = Flags.parse(List.of("--repo", repo.toString(), "--poll", "100ms", "--require-signed",
                    "--allowed-signers", signers.toString()), ComponentOptions.with(GitSyncComponent.FLAGS),
                    GitSyncComponent.BOOLEANS);
            try (GitSyncComponent gitSync = GitSyncComponent.start(kafka, tmp.resolve("data"),
                    GitSyncComponent.Options.parse(f))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> first.equals(lastCommit(kafka)));
                String unsigned = commit(repo, SE.formatted(6666), "unsigned: echo on 6666", null);
                String fixed = commit(repo, SE.formatted(7002), "echo on 7002", keys.resolve("alice"));
                await().atMost(Duration.ofSeconds(30)).until(() -> fixed.equals(lastCommit(kafka)));

                List<ConfigEvent> events = events(kafka);
                List<ConfigEvent> outcomes = events.stream()
                        .filter(e -> e instanceof CommitApplied || e instanceof CommitRejected).toList();
                assertThat(outcomes).extracting(e -> e.getClass().getSimpleName() + " " + e.commit())
                        .containsExactly("CommitApplied " + first, "CommitRejected " + unsigned,
                                "CommitApplied " + fixed);
                String reason = "commit " + unsigned.substring(0, 8) + " is not signed; --require-signed applies"
                        + " only commits signed by a key of --allowed-signers";
                assertThat(((CommitRejected) outcomes.get(1)).diagnostics()).extracting(d -> d.message())
                        .containsExactly(reason);
                ConfigState state = ConfigState.replay(events);
                assertThat(state.documents().get(new ResourceKey("ServiceEntry", "demo", "echo")))
                        .contains("7002").doesNotContain("6666");
                // The rejected commit was never state: the fold right after it is the first commit's.
                assertThat(ConfigState.replay(events.subList(0, events.indexOf(outcomes.get(1)) + 1)).documents()
                        .toString()).contains("7001").doesNotContain("6666");

                ByteArrayOutputStream out = new ByteArrayOutputStream();
                PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
                assertThat(Main.run(List.of("audit", "--kafka", kafka), ps, ps)).isZero();
                assertThat(out.toString(StandardCharsets.UTF_8)).containsSubsequence(
                        "applied   " + first.substring(0, 8), "rejected  " + unsigned.substring(0, 8),
                        "error [GS0011] " + reason, "applied   " + fixed.substring(0, 8));
            }
        }
    }

    /** Read only, through no writer: a second transactional writer would fence git-sync's. */
    private static List<ConfigEvent> events(String kafka) {
        return KafkaEventLog.readAll(kafka, MeshlogNode.REPO_ID).stream().map(LoggedEvent::event).toList();
    }

    private static String lastCommit(String kafka) {
        List<ConfigEvent> all = events(kafka);
        return all.isEmpty() ? null : all.get(all.size() - 1).commit();
    }

    /** {@code git commit} of echo.yaml, signed with the SSH key as git's gpg.format=ssh does, or unsigned. */
    private static String commit(Path repo, String content, String message, Path key) throws Exception {
        Files.writeString(repo.resolve("echo.yaml"), content);
        sh(repo, "git", "add", "echo.yaml");
        if (key == null) {
            sh(repo, "git", "-c", "user.name=Alice", "-c", "user.email=alice@example.com", "commit", "-q", "-m",
                    message);
        } else {
            sh(repo, "git", "-c", "gpg.format=ssh", "-c", "user.signingkey=" + key, "-c", "user.name=Alice", "-c",
                    "user.email=alice@example.com", "commit", "-q", "-S", "-m", message);
        }
        return sh(repo, "git", "rev-parse", "HEAD").strip();
    }

    private static String sh(Path dir, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        Process p = pb.start();
        try {
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed: "
                        + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
    }
}
