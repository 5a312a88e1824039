package meshlog.gitsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.event.ConfigEvent.ResourceDeleted;
import meshlog.configstore.event.ConfigEvent.ResourceUpserted;
import meshlog.configstore.state.ConfigState;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gitsync.git.ConfigRepository;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitSyncTest {

    @TempDir
    Path dir;

    /** The log as an in-memory list: git-sync's own behaviour, apart from Kafka (tested in ops end to end). */
    static final class ListLog implements CommitLog {
        final List<List<ConfigEvent>> commits = new ArrayList<>();

        @Override
        public List<ConfigEvent> readAll() {
            return commits.stream().flatMap(List::stream).toList();
        }

        @Override
        public void append(List<ConfigEvent> events) {
            commits.add(List.copyOf(events));
        }
    }

    static final String SE = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: echo, namespace: demo}
            spec:
              hosts: [echo.demo.svc.cluster.local]
              location: MESH_INTERNAL
              resolution: STATIC
              ports: [{number: 50051, name: grpc, protocol: GRPC}]
              endpoints: [{address: 127.0.0.1, ports: {grpc: 7001}}]
            """;

    static String vs(int weight) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: echo, namespace: demo}
                spec:
                  hosts: [echo.demo.svc.cluster.local]
                  http:
                  - route:
                    - destination: {host: echo.demo.svc.cluster.local}
                      weight: %d
                """.formatted(weight);
    }

    Git git;

    String commit(String file, String content, String message) throws Exception {
        Path f = dir.resolve(file);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        git.add().addFilepattern(".").call();
        git.rm().addFilepattern(file).setCached(true).call();
        git.add().addFilepattern(file).call();
        return git.commit().setMessage(message).setAuthor(new PersonIdent("Alice", "alice@example.com"))
                .setSign(false).call().name();
    }

    String delete(String file, String message) throws Exception {
        git.rm().addFilepattern(file).call();
        return git.commit().setMessage(message).setAuthor(new PersonIdent("Bob", "bob@example.com"))
                .setSign(false).call().name();
    }

    @Test
    void eachCommitIsOneTransactionJudgedAgainstTheLastGoodState() throws Exception {
        git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        String first = commit("mesh/svc.yaml", SE, "add echo");
        ListLog log = new ListLog();
        try (ConfigRepository repo = ConfigRepository.open(dir.toFile(), null)) {
            GitSync sync = new GitSync("default", repo, log);
            assertThat(sync.pollOnce()).isEqualTo(1);
            assertThat(log.commits.get(0)).hasSize(2).first().isInstanceOf(ResourceUpserted.class);
            CommitApplied applied = (CommitApplied) log.commits.get(0).get(1);
            assertThat(applied.info().sha()).isEqualTo(first);
            assertThat(applied.info().author()).isEqualTo("Alice");
            assertThat(applied.info().message()).isEqualTo("add echo");

            commit("mesh/vs.yaml", vs(100), "route echo");
            String bad = commit("mesh/vs.yaml", vs(-1), "oops");
            commit("README.md", "not config", "docs only");
            assertThat(sync.pollOnce()).isEqualTo(3);

            assertThat(log.commits.get(1)).extracting(e -> e.getClass().getSimpleName())
                    .containsExactly("ResourceUpserted", "CommitApplied");
            assertThat(log.commits.get(2)).singleElement().isInstanceOfSatisfying(CommitRejected.class, r -> {
                assertThat(r.info().sha()).isEqualTo(bad);
                assertThat(r.diagnostics()).extracting(d -> d.format()).anyMatch(s -> s.startsWith(
                        "mesh/vs.yaml:9:7: error [VS0101] VirtualService demo/echo spec.http[0].route[0].weight"));
            });
            // The commit after a rejected one still has the bad file: it is rejected too, nothing half-applied.
            assertThat(log.commits.get(3)).singleElement().isInstanceOf(CommitRejected.class);

            commit("mesh/vs.yaml", vs(100), "fix");
            delete("mesh/svc.yaml", "drop echo");
            sync.pollOnce();
            // Back to the last applied content: nothing to upsert, but the commit is recorded.
            assertThat(log.commits.get(4)).singleElement().isInstanceOf(CommitApplied.class);
            assertThat(log.commits.get(5)).extracting(e -> e.getClass().getSimpleName()).containsExactly(
                    "ResourceDeleted", "CommitApplied");
            assertThat(((ResourceDeleted) log.commits.get(5).get(0)).key().toString())
                    .isEqualTo("ServiceEntry demo/echo");
            assertThat(ConfigState.replay(log.readAll()).all(VirtualService.class)).hasSize(1);
        }
    }

    @Test
    void warningsAreRecordedWithTheAppliedCommitAndErrorsInAnyFileRejectTheWholeCommit() throws Exception {
        git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        commit("mesh/vs.yaml", vs(100), "route to a host only the cluster knows");
        ListLog log = new ListLog();
        try (ConfigRepository repo = ConfigRepository.open(dir.toFile(), null)) {
            GitSync sync = new GitSync("default", repo, log);
            sync.pollOnce();
            CommitApplied applied = (CommitApplied) log.commits.get(0).get(1);
            assertThat(applied.warnings()).extracting(d -> d.code() + " " + d.path())
                    .contains("XR0001 spec.http[0].route[0].destination.host");

            Files.writeString(dir.resolve("mesh/svc.yaml"), SE);
            Files.writeString(dir.resolve("mesh/rule.yaml"), """
                    apiVersion: networking.istio.io/v1
                    kind: DestinationRule
                    metadata: {name: echo, namespace: demo}
                    spec:
                      host: echo.demo.svc.cluster.local
                      subsets: [{labels: {version: v1}}]
                    """);
            commit("mesh/vs.yaml", vs(-1), "two mistakes in two files, and a good file");
            sync.pollOnce();

            assertThat(log.commits.get(1)).singleElement().isInstanceOfSatisfying(CommitRejected.class, r ->
                    assertThat(r.diagnostics()).filteredOn(d -> d.isError())
                            .extracting(d -> d.file() + " " + d.code())
                            .contains("mesh/rule.yaml DR0002", "mesh/vs.yaml VS0101"));
            assertThat(ConfigState.replay(log.readAll()).documents()).as("the good ServiceEntry is not applied")
                    .hasSize(1);
        }
    }

    @Test
    void everyKindIsRecordedAndReadBackAndTwoGatewayKindsWithOneNameAreTwoObjects() throws Exception {
        git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        commit("mesh/edge.yaml", """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: edge, namespace: demo}
                spec:
                  selector: {istio: ingressgateway}
                  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: edge, namespace: demo}
                spec:
                  gatewayClassName: istio
                  listeners: [{name: http, port: 80, protocol: HTTP}]
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: echo, namespace: demo}
                spec:
                  parentRefs: [{name: edge}]
                  rules: [{backendRefs: [{name: echo, port: 50051}]}]
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: deny-all, namespace: demo}
                spec: {action: DENY, rules: [{}]}
                """, "gateways and a policy");
        ListLog log = new ListLog();
        try (ConfigRepository repo = ConfigRepository.open(dir.toFile(), null)) {
            new GitSync("default", repo, log).pollOnce();

            CommitApplied applied = (CommitApplied) log.commits.get(0).get(log.commits.get(0).size() - 1);
            assertThat(applied.changed()).extracting(Object::toString).containsExactlyInAnyOrder(
                    "Gateway demo/edge", "Gateway.gateway.networking.k8s.io demo/edge", "HTTPRoute demo/echo",
                    "AuthorizationPolicy demo/deny-all");
            // The gateway kinds are recorded with their "not applied yet" warning; the policy is enforced, so none.
            assertThat(applied.warnings()).extracting(d -> d.resource() + " " + d.code())
                    .isNotEmpty().doesNotContain("AuthorizationPolicy demo/deny-all ML0012");
            ConfigState state = ConfigState.replay(log.readAll());
            assertThat(state.resources()).hasSize(4);
            assertThat(state.all(meshlog.gatewayapi.model.AuthorizationPolicy.class)).singleElement()
                    .extracting(p -> p.action().name()).isEqualTo("DENY");
        }
    }

    @Test
    void aRestartResumesFromTheLogAndNeverRecordsACommitTwice() throws Exception {
        git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        commit("svc.yaml", SE, "one");
        ListLog log = new ListLog();
        try (ConfigRepository repo = ConfigRepository.open(dir.toFile(), null)) {
            new GitSync("default", repo, log).pollOnce();
            commit("vs.yaml", vs(100), "two");
            GitSync restarted = new GitSync("default", repo, log);
            assertThat(restarted.lastProcessed()).isNotNull();
            assertThat(restarted.pollOnce()).isEqualTo(1);
            assertThat(restarted.pollOnce()).isZero();
            assertThat(new GitSync("default", repo, log).pollOnce()).isZero();
            assertThat(log.commits).hasSize(2);
        }
    }

    @Test
    void followsTheNamedBranchOnlyAndReadsWhatTheGitCliCommitted() throws Exception {
        git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        commit("svc.yaml", SE, "on main");
        git.checkout().setCreateBranch(true).setName("staging").call();
        String staging = commit("vs.yaml", vs(100), "on staging");
        git.checkout().setName("main").call();
        ProcessBuilder cli = new ProcessBuilder("git", "-c", "user.name=Carol", "-c", "user.email=c@example.com",
                "commit", "--allow-empty", "-m", "from the git CLI").directory(dir.toFile());
        assertThat(cli.start().waitFor()).isZero();

        ListLog log = new ListLog();
        try (ConfigRepository main = ConfigRepository.open(dir.toFile(), null);
             ConfigRepository st = ConfigRepository.open(dir.toFile(), "staging")) {
            assertThat(main.branch()).isEqualTo("main");
            new GitSync("default", main, log).pollOnce();
            CommitApplied a = (CommitApplied) log.readAll().get(log.readAll().size() - 1);
            assertThat(a.info().author()).isEqualTo("Carol");
            assertThat(st.head()).isEqualTo(staging);
        }
    }

    /** A log whose next append lands but reports failure, as a commit whose acknowledgement was lost does. */
    static final class LostAckLog implements CommitLog {
        final ListLog inner = new ListLog();
        boolean loseNextAck;
        boolean failNextAppend;

        @Override
        public List<ConfigEvent> readAll() {
            return inner.readAll();
        }

        @Override
        public void append(List<ConfigEvent> events) {
            if (failNextAppend) {
                failNextAppend = false;
                throw new IllegalStateException("broker unreachable");
            }
            inner.append(events);
            if (loseNextAck) {
                loseNextAck = false;
                throw new IllegalStateException("commit not acknowledged in time; it may or may not be in the log");
            }
        }
    }

    @Test
    void aCommitWhoseAppendOutcomeWasUnknownIsRecordedExactlyOnce() throws Exception {
        git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        commit("svc.yaml", SE, "one");
        LostAckLog log = new LostAckLog();
        try (ConfigRepository repo = ConfigRepository.open(dir.toFile(), null)) {
            GitSync sync = new GitSync("default", repo, log);
            log.loseNextAck = true;
            org.assertj.core.api.Assertions.assertThatThrownBy(sync::pollOnce).hasMessageContaining("acknowledged");
            assertThat(sync.pollOnce()).as("the log already has it").isZero();
            assertThat(log.inner.commits).hasSize(1);

            commit("vs.yaml", vs(100), "two");
            log.failNextAppend = true;
            org.assertj.core.api.Assertions.assertThatThrownBy(sync::pollOnce).hasMessageContaining("unreachable");
            assertThat(sync.pollOnce()).as("not in the log: recorded now").isEqualTo(1);
            assertThat(log.inner.commits).hasSize(2);
        }
    }

    @Test
    void aDetachedHeadIsRefusedUnlessABranchIsNamed() throws Exception {
        git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        String first = commit("svc.yaml", SE, "one");
        git.checkout().setName(first).call();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigRepository.open(dir.toFile(), null))
                .hasMessageContaining("detached HEAD").hasMessageContaining("--branch");
        try (ConfigRepository repo = ConfigRepository.open(dir.toFile(), "main")) {
            assertThat(repo.head()).isEqualTo(first);
        }
    }

    @Test
    void aSubdirectoryOfARepositoryOrAMissingBranchIsRefusedNotFollowedQuietly() throws Exception {
        git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        commit("mesh/svc.yaml", SE, "one");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigRepository.open(dir.resolve("mesh").toFile(),
                null)).hasMessageContaining("is not a git repository");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigRepository.open(dir.toFile(), "mian"))
                .hasMessageContaining("branch mian does not exist").hasMessageContaining("branches: main");
    }

    @Test
    void aDirectoryThatIsNotARepositoryIsRefusedWithAHint() {
        File plain = dir.toFile();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigRepository.open(plain, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a git repository")
                .hasMessageContaining("meshlog init");
    }
}
