package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import meshlog.testkit.EnvoyBinary;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshlog try --envoy} as the README walks through it: {@code meshlog init}'s example served by a node of
 * {@code meshlog up}, the example's calls through the real Envoy that {@code try --envoy} starts, a weight change
 * committed to git showing in the printed split. The example's backends move from 7001/7002 to free ports (the
 * only change to the example), so the test runs beside anything else on this machine.
 */
class TryEnvoyTest {

    private static final Pattern SPLIT = Pattern.compile("^100 calls: v1 (\\d+)%  v2 (\\d+)%$");
    private static final Pattern PID = Pattern.compile("\\(pid (\\d+),");

    @TempDir
    static Path tmp;
    static Path envoy;
    static Path repo;
    static MeshlogNode node;
    static String xds;
    static String ports;

    @BeforeAll
    static void start() throws Exception {
        envoy = EnvoyBinary.require();
        repo = tmp.resolve("my-mesh-config");
        assertThat(InitCommand.run(repo, System.out, System.err)).isZero();
        int v1 = EnvoySidecar.freePort();
        int v2 = EnvoySidecar.freePort();
        ports = v1 + "," + v2;
        Path service = repo.resolve("echo-service.yaml");
        Files.writeString(service, Files.readString(service).replace("grpc: 7001", "grpc: " + v1)
                .replace("grpc: 7002", "grpc: " + v2));
        commit("backends on free ports");
        node = MeshlogNode.start(new UpOptions(repo, null, List.of("east"), 1, 0, 0, tmp.resolve("data"), null,
                Duration.ofMillis(100), "127.0.0.1", null, meshlog.gitsync.TreeLimits.DEFAULTS));
        xds = node.replicas().get(0).server().address();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void throughEnvoyTheSplitFollowsAWeightCommittedToGit() throws Exception {
        Run run = Run.start("try", "--envoy", "--envoy-binary", envoy.toString(), "--xds", xds, "--ports", ports,
                "--rounds", "12");
        await().atMost(Duration.ofSeconds(60)).until(() -> splits(run.out()).size() >= 2);
        String admin = run.await("Envoy admin (http://127\\.0\\.0\\.1:\\d+)/ \\(config \\1/config_dump, log ");
        assertThat(get(admin + "/config_dump")).contains("\"name\": \"outbound|50051|v2|echo.demo.svc.cluster.local\"",
                "\"name\": \"127.0.0.1_50051\"");
        for (int[] split : splits(run.out())) {
            assertThat(split[0]).as("v1 %% at 80/20 over 100 calls").isBetween(60, 95);
            assertThat(split[0] + split[1]).isEqualTo(100);
        }

        Path routing = repo.resolve("echo-routing.yaml");
        Files.writeString(routing, Files.readString(routing).replace("weight: 80", "weight: 0")
                .replace("weight: 20", "weight: 100"));
        commit("all of echo to v2");
        assertThat(run.exit(Duration.ofSeconds(60))).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).contains("100 calls: v2 100%");
        assertThat(lines.get(lines.size() - 2)).as("the last round, after the commit").isEqualTo("100 calls: v2 100%");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("Envoy rejected 0 xDS updates (sum of its update_rejected"
                + " stats)");
        assertThat(lines.stream().filter(l -> l.startsWith("100 calls: ")).count()).isEqualTo(12);
        assertGone(run.envoyPid());
        assertThat(node.replicas().get(0).server().nacksReceived()).isZero();
    }

    @Test
    void whenEveryCallThroughEnvoyFailsTryExitsOne() throws Exception {
        // Backends on ports the example does not name: Envoy answers every call with 503 (UNAVAILABLE).
        Run run = Run.start("try", "--envoy", "--envoy-binary", envoy.toString(), "--xds", xds, "--ports", "0,0",
                "--rounds", "2", "--calls", "5");
        assertThat(run.exit(Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(run.out().lines().filter(l -> l.startsWith("calls fail: UNAVAILABLE: ")).count()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("meshlog try: every call failed in all 2 rounds\n");
        assertGone(run.envoyPid());
    }

    @Test
    void aStopSignalStopsItsEnvoyToo() throws Exception {
        try (ChildProcess child = ChildProcess.start(tmp.resolve("child"), "try", "256m", "try", "--envoy",
                "--envoy-binary", envoy.toString(), "--xds", xds, "--ports", "0,0")) {
            long pid = Long.parseLong(child.await("\\(pid (\\d+),", Duration.ofSeconds(60)));
            child.await("^calls fail: ", Duration.ofSeconds(60));
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
            child.close(); // SIGTERM, as Ctrl-C or a service manager stops it
            assertThat(child.alive()).isFalse();
            assertGone(pid);
        }
    }

    private static void assertGone(long pid) {
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    private static List<int[]> splits(String out) {
        return out.lines().map(SPLIT::matcher).filter(Matcher::matches)
                .map(m -> new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))}).toList();
    }

    private static void commit(String message) throws Exception {
        try (Git git = Git.open(repo.toFile())) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage(message).setAuthor(new PersonIdent("Alice", "alice@example.com")).setSign(false)
                    .call();
        }
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** {@code meshlog try ...} run in this JVM on a thread of its own, its output collected. */
    private record Run(CompletableFuture<Integer> code, ByteArrayOutputStream stdout, ByteArrayOutputStream stderr) {

        static Run start(String... args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            return new Run(CompletableFuture.supplyAsync(() -> Main.run(List.of(args),
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8))), out, err);
        }

        String out() {
            return stdout.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return stderr.toString(StandardCharsets.UTF_8);
        }

        /** The first group of the first output line matching {@code regex}, waiting for it. */
        String await(String regex) {
            Pattern p = Pattern.compile(regex);
            return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(
                    () -> out().lines().map(p::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst(),
                    java.util.Optional::isPresent).orElseThrow();
        }

        long envoyPid() {
            Matcher m = PID.matcher(out());
            assertThat(m.find()).as("the pid line in:\n%s", out()).isTrue();
            return Long.parseLong(m.group(1));
        }

        int exit(Duration within) throws Exception {
            return code.get(within.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
