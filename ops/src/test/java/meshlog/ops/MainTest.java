package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user types it: exit codes and the one line they read when something is wrong. */
class MainTest {

    @TempDir
    Path tmp;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void upWithAMissingRepoIsOneLineAndExitCode2() {
        assertThat(run("up", "--repo", tmp.resolve("nope").toString(), "--data-dir", tmp.resolve("d").toString()))
                .isEqualTo(2);
        assertThat(err().lines()).singleElement().asString().startsWith("meshlog: ").contains("nope",
                "does not exist");
        assertThat(tmp.resolve("d")).doesNotExist();
    }

    @Test
    void upOnADirectoryThatIsNotARepositorySuggestsInit() throws Exception {
        Files.createDirectories(tmp.resolve("plain"));
        assertThat(run("up", "--repo", tmp.resolve("plain").toString())).isEqualTo(2);
        assertThat(err().lines()).singleElement().asString().contains("is not a git repository",
                "meshlog init");
    }

    @Test
    void upWithoutRepoOrWithABadFlagIsAUsageError() {
        assertThat(run("up")).isEqualTo(2);
        assertThat(run("up", "--repo", "x", "--replicas", "two")).isEqualTo(2);
        assertThat(run("up", "--repo", "x", "--colour", "blue")).isEqualTo(2);
        assertThat(err()).contains("--repo DIR|URL is required", "--replicas must be a whole number",
                "unknown flag --colour");
    }

    @Test
    void theCaPortOnTheAdminPortIsRefusedBeforeAnythingStarts() {
        Path repo = tmp.resolve("r");
        assertThat(run("init", repo.toString())).isZero();
        assertThat(run("up", "--repo", repo.toString(), "--data-dir", tmp.resolve("d").toString(),
                "--ca-port", "15014", "--admin-port", "15014")).isEqualTo(2);
        assertThat(err()).contains("--ca-port 15014 and --admin-port 15014 are the same port");
        assertThat(tmp.resolve("d")).doesNotExist();
    }

    @Test
    void distributorPortsPassOverTheCaAndAdminPorts() {
        assertThat(MeshlogNode.distributorPorts(15010, 4, java.util.Set.of(15012, 15014)))
                .containsExactly(15010, 15011, 15013, 15015);
        assertThat(MeshlogNode.distributorPorts(0, 3, java.util.Set.of(15012, 15014))).containsExactly(0, 0, 0);
    }

    @Test
    void mtlsPortsFollowThePlaintextOnesAndInsecurePlaintextIsAFlagOfItsOwn() {
        UpOptions defaults = UpOptions.parse(List.of("--repo", "r"));
        List<Integer> plaintext = List.of(15010, 15011, 15013, 15015);
        assertThat(MeshlogNode.distributorTlsPorts(defaults, plaintext)).containsExactly(15016, 15017, 15018, 15019);
        assertThat(defaults.ca().insecurePlaintext()).isFalse();
        UpOptions chosen = UpOptions.parse(List.of("--repo", "r", "--xds-tls-port", "16000", "--insecure-plaintext"));
        assertThat(MeshlogNode.distributorTlsPorts(chosen, plaintext)).containsExactly(16000, 16001, 16002, 16003);
        assertThat(chosen.ca().insecurePlaintext()).isTrue();
        assertThat(DistributorComponent.Options.parse(Flags.parse(List.of("--cluster", "east"),
                DistributorComponent.FLAGS, DistributorComponent.BOOLEANS), Path.of("d")).xdsTlsPort())
                .isEqualTo(15012);
    }

    @Test
    void agentNeedsOneCredentialAndTheRootAndBootstrapTakesTheAgentSocketOrXds(@TempDir Path tmp)
            throws Exception {
        Path root = Files.writeString(tmp.resolve("root.pem"), "x");
        Path token = Files.writeString(tmp.resolve("token"), "t");
        assertThat(run("agent", "--xds", "127.0.0.1:15016", "--root-cert", root.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--token-file F", "--join-token-file F");
        assertThat(run("agent", "--xds", "127.0.0.1:15016", "--join-token-file", token.toString(), "--token-file",
                token.toString(), "--root-cert", root.toString())).isEqualTo(2);
        assertThat(run("agent", "--xds", "127.0.0.1:15016", "--join-token-file", token.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--root-cert FILE is required");
        assertThat(run("agent", "--xds", "127.0.0.1:15016", "--join-token-file", token.toString(), "--root-cert",
                root.toString(), "--key-type", "dsa")).isEqualTo(2);
        assertThat(err.toString()).contains("--key-type takes ec (ECDSA P-256) or rsa (RSA 2048)");
        assertThat(run("bootstrap", "--agent-socket", "a.sock", "--xds", "127.0.0.1:15010", "--cluster", "east",
                "--node-id", "sidecar~127.0.0.1~a.ns~ns.svc.cluster.local")).isEqualTo(2);
        assertThat(err.toString()).contains("--agent-socket and --xds exclude each other");
    }

    @Test
    void tokenCreateNeedsItsFlagsAndACa() {
        assertThat(run("token", "create", "--namespace", "legacy")).isEqualTo(2);
        assertThat(err()).contains("token create needs --namespace NS and --service-account SA");
        assertThat(run("token", "create", "--namespace", "legacy", "--service-account", "vm", "--data-dir",
                tmp.resolve("none").toString())).isEqualTo(2);
        assertThat(err()).contains("holds no CA (no root-cert.pem, no join-tokens/hmac-key): run meshlog up first");
        assertThat(run("up", "--repo", "r", "--kube-api", "east")).isEqualTo(2);
        assertThat(err()).contains("--kube-api takes CLUSTER=URL[,CLUSTER=URL], like east=https://10.0.0.1:6443;"
                + " got \"east\"");
    }

    @Test
    void limitsAndTheAdminTokenFileAreCheckedBeforeAnythingStarts() throws Exception {
        Path repo = tmp.resolve("r");
        assertThat(run("init", repo.toString())).isZero();
        Path d = tmp.resolve("d");
        assertThat(run("up", "--repo", repo.toString(), "--data-dir", d.toString(), "--admin-token-file",
                tmp.resolve("no-such-token").toString())).isEqualTo(2);
        Path weak = tmp.resolve("weak");
        Files.writeString(weak, "hunter2\n");
        assertThat(run("up", "--repo", repo.toString(), "--data-dir", d.toString(), "--admin-token-file",
                weak.toString())).isEqualTo(2);
        assertThat(run("up", "--repo", repo.toString(), "--max-files", "0")).isEqualTo(2);
        assertThat(run("up", "--repo", repo.toString(), "--max-commit-bytes", "64X")).isEqualTo(2);
        assertThat(err().lines()).containsExactly(
                "meshlog: --admin-token-file " + tmp.resolve("no-such-token") + " cannot be read: NoSuchFileException",
                "meshlog: --admin-token-file " + weak + " must hold one token of 16 to 4096 printable ASCII characters"
                        + " without spaces (e.g. openssl rand -hex 32 > " + weak + ")",
                "meshlog: --max-files must be at least 1, got 0",
                "meshlog: --max-commit-bytes must be a whole number, optionally with k, M or G (1024s), got \"64X\"");
        assertThat(err()).doesNotContain("hunter2");
        assertThat(d).doesNotExist();

        UpOptions o = UpOptions.parse(List.of("--repo", "r", "--max-files", "500", "--max-repo-bytes", "2G",
                "--max-commit-bytes", "8MiB", "--max-commit-nodes", "100k"));
        assertThat(o.limits()).isEqualTo(new meshlog.gitsync.TreeLimits(500, 2L << 30, 8L << 20, 100L << 10));
        assertThat(UpOptions.parse(List.of("--repo", "r")).limits()).isEqualTo(meshlog.gitsync.TreeLimits.DEFAULTS);
    }

    @Test
    void upTakesTheXdsEdgeLimitsAndTheStopTimeout() {
        UpOptions o = UpOptions.parse(List.of("--repo", "r", "--xds-max-node-id", "2k", "--xds-max-metadata", "128k",
                "--xds-max-message", "8M", "--xds-requests-per-second", "50", "--xds-request-burst", "500",
                "--xds-max-streams-per-address", "1000", "--xds-max-streams", "20000", "--xds-max-pending-bytes",
                "64M", "--xds-max-connection-age", "5m", "--stop-timeout", "25s"));
        assertThat(o.edge()).isEqualTo(new meshlog.xds.grpc.EdgeLimits(2048, 128 << 10, 8 << 20, 50, 500, 1000,
                20000, 64L << 20, java.time.Duration.ofMinutes(5)));
        assertThat(UpOptions.parse(List.of("--repo", "r", "--xds-max-connection-age", "0s")).edge()
                .maxConnectionAge()).isZero();
        assertThat(o.stopTimeout()).isEqualTo(java.time.Duration.ofSeconds(25));
        UpOptions d = UpOptions.parse(List.of("--repo", "r"));
        assertThat(d.edge()).isEqualTo(meshlog.xds.grpc.EdgeLimits.DEFAULTS);
        assertThat(d.stopTimeout()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(run("up", "--repo", "r", "--xds-max-streams", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--xds-max-streams must be at least 1, got 0");
        assertThat(run("up", "--repo", "r", "--webhook-secret-file", tmp.resolve("no-secret").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("meshlog: --webhook-secret-file " + tmp.resolve("no-secret")
                + " does not exist or is not a file");
        assertThat(run("up", "--repo", "r", "--git-token-file", "t")).isEqualTo(2);
        assertThat(err.toString()).contains("meshlog: --git-token-file, --git-token-env, --git-ssh-key and"
                + " --git-known-hosts are for a remote --repo URL, not a directory");
        assertThat(run("up", "--repo", "https://alice:hunter2@git.example/mesh.git")).isEqualTo(2);
        assertThat(err.toString()).contains("meshlog: --repo https://alice:***@git.example/mesh.git: a password or"
                + " token in the URL would be logged and stored; give it with --git-token-file or --git-token-env")
                .doesNotContain("hunter2");
        assertThat(run("up", "--repo", "ssh://git@git.example/mesh.git")).isEqualTo(2);
        assertThat(err.toString()).contains("an ssh:// remote needs --git-ssh-key FILE and --git-known-hosts FILE");
        assertThat(run("up", "--repo", "r", "--xds-max-node-id", "4G")).isEqualTo(2);
        assertThat(err.toString()).contains("--xds-max-node-id must be at most 2147483647, got 4294967296");
    }

    @Test
    void requireSignedNeedsAnAllowListAndABadOneStopsTheStartNamingFileAndLine() throws Exception {
        for (String command : List.of("up", "git-sync")) {
            List<String> base = command.equals("up") ? List.of(command, "--repo", "r")
                    : List.of(command, "--repo", "r", "--kafka", "127.0.0.1:9");
            err.reset();
            assertThat(run(with(base, "--require-signed"))).as(command).isEqualTo(2);
            assertThat(err()).as(command).isEqualTo("meshlog: --require-signed needs --allowed-pgp-keys FILE"
                    + " (armored public keys) or --allowed-signers FILE (an OpenSSH allowed_signers file), or both\n");
            Path signers = java.nio.file.Files.writeString(tmp.resolve("allowed_signers"),
                    "# signers\nalice@example.com ssh-ed25519\n");
            err.reset();
            assertThat(run(with(base, "--require-signed", "--allowed-signers", signers.toString()))).isEqualTo(2);
            assertThat(err()).as(command).isEqualTo("meshlog: " + signers + ":2: expected PRINCIPALS [OPTIONS]"
                    + " KEYTYPE BASE64-KEY [COMMENT] (KEYTYPE like ssh-ed25519)\n");
            err.reset();
            assertThat(run(with(base, "--allowed-signers", signers.toString()))).isEqualTo(2);
            assertThat(err()).as(command).isEqualTo("meshlog: --allowed-pgp-keys and --allowed-signers need"
                    + " --require-signed (without it, signatures are not checked)\n");
        }
        assertThat(run("up", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--require-signed", "--allowed-pgp-keys F",
                "--allowed-signers F");
    }

    int run(List<String> args) {
        return run(args.toArray(String[]::new));
    }

    static List<String> with(List<String> base, String... more) {
        List<String> all = new java.util.ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void initCreatesACommittedRepositoryWhoseExampleValidates() throws Exception {
        Path repo = tmp.resolve("my-mesh-config");
        assertThat(run("init", repo.toString())).isZero();
        try (Git git = Git.open(repo.toFile())) {
            assertThat(git.log().call()).hasSize(1);
            assertThat(git.getRepository().getBranch()).isEqualTo("main");
            assertThat(git.status().call().isClean()).isTrue();
        }
        assertThat(run("validate", repo.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("2 files, 3 objects, 0 errors, 0 warnings");
        assertThat(run("init", repo.toString())).as("init twice leaves the repository as it is").isZero();
    }

    @Test
    void validateExitsOneWithCompilerStyleErrorsAndTwoOnUnreadableInput() throws Exception {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, MeshRepo.split(-5, 10));
        assertThat(run("validate", bad.toString())).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(bad + ":9:7: error [VS0101] VirtualService "
                + "demo/echo spec.http[0].route[0].weight: must be >= 0, got -5");
        assertThat(run("validate", tmp.resolve("missing.yaml").toString())).isEqualTo(2);
    }

    @Test
    void validateAsJsonPrintsOneArrayOfDiagnosticsSortedByFileAndLine() throws Exception {
        Files.writeString(tmp.resolve("b.yaml"), MeshRepo.split(-5, 10));
        Files.writeString(tmp.resolve("a.yaml"), MeshRepo.split(10, -7));
        assertThat(run("validate", "-o", "json", tmp.toString())).isEqualTo(1);

        var array = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toByteArray());
        assertThat(array.isArray()).isTrue();
        var errors = new java.util.ArrayList<com.fasterxml.jackson.databind.JsonNode>();
        array.forEach(d -> {
            if (d.get("severity").asText().equals("ERROR")) {
                errors.add(d);
            }
        });
        assertThat(errors).extracting(d -> d.get("file").asText().replace(tmp.toString(), ""),
                        d -> d.get("code").asText(), d -> d.get("path").asText(), d -> d.get("line").asInt())
                .containsSubsequence(
                        org.assertj.core.groups.Tuple.tuple("/a.yaml", "VS0101", "spec.http[0].route[1].weight",
                                11),
                        org.assertj.core.groups.Tuple.tuple("/b.yaml", "VS0101", "spec.http[0].route[0].weight",
                                9));
        assertThat(run("validate", "-o", "yaml", tmp.toString())).isEqualTo(2);
    }

    @Test
    void tryWithoutAControlPlaneSaysWhatIsMissingInsteadOfHanging() {
        assertThat(run("try", "--xds", "127.0.0.1:1", "--rounds", "1", "--calls", "1", "--ports", "0,0"))
                .as("every call failed: not a success").isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("backends v1 at 127.0.0.1:",
                "calls fail: ", "is meshlog up running");
        assertThat(err()).contains("meshlog try: every call failed in all 1 rounds");
    }

    @Test
    void auditOfADataDirWithoutALogSaysSo() {
        assertThat(run("audit", "--data-dir", tmp.toString())).isEqualTo(2);
        assertThat(err()).contains("no meshlog log under");
    }

    @Test
    void everyCommandAnswersHelpWithItsFlagsAndDoesNothingElse() throws Exception {
        for (String command : List.of("init", "up", "validate", "audit", "state", "diff", "rollback", "unpin",
                "try", "proxy-config", "bootstrap")) {
            out.reset();
            assertThat(run(command, "--help")).as(command).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).as(command).startsWith("meshlog " + command);
        }
        assertThat(Path.of("--help")).as("init --help creates no repository named --help").doesNotExist();
        out.reset();
        run("up", "-h");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--repo DIR|URL", "--data-dir DIR",
                "--max-commit-nodes", "--git-token-file F", "--git-token-env VAR", "--git-ssh-key F",
                "--git-known-hosts F", "--webhook-secret-file F");
        out.reset();
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("meshlog up --repo DIR", "--xds-port P",
                "--admin-token-file F", "--max-commit-bytes N", "meshlog audit", "--resource KIND/NS/NAME")
                .doesNotContain("see README");
        assertThat(err()).isEmpty();
    }

    @Test
    void aYamlSyntaxErrorIsOneCompilerStyleLine() throws Exception {
        Path bad = tmp.resolve("broken.yaml");
        Files.writeString(bad, "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: x}\n"
                + "spec:\n  hosts: [a\n  http: - foo\n");
        assertThat(run("validate", bad.toString())).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                bad + ":6:7: error [ML0001] not valid YAML: expected ',' or ']', but got : (while parsing a flow"
                        + " sequence at line 5, column 10)",
                "1 files, 0 objects, 1 errors, 0 warnings");
    }

    @Test
    void upWithAPortInUseFailsBeforeCreatingALogOrACa() throws Exception {
        Path repo = tmp.resolve("r");
        assertThat(run("init", repo.toString())).isZero();
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            Path d = tmp.resolve("d");
            assertThat(run("up", "--repo", repo.toString(), "--data-dir", d.toString(), "--clusters", "a",
                    "--replicas", "1", "--xds-port", "0", "--admin-port", String.valueOf(taken.getLocalPort())))
                    .isEqualTo(2);
            assertThat(err()).contains("port " + taken.getLocalPort() + " on 127.0.0.1 is in use",
                    "choose another --admin-port");
            assertThat(d).as("no Kafka log, no CA").doesNotExist();
            int xds = taken.getLocalPort();
            assertThat(run("up", "--repo", repo.toString(), "--data-dir", d.toString(), "--clusters", "a",
                    "--replicas", "1", "--xds-port", String.valueOf(xds), "--admin-port", "0")).isEqualTo(2);
            assertThat(err()).contains("choose another --xds-port");
            assertThat(d).doesNotExist();
        }
    }
}
