package meshlog.gitsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.event.ConfigEvent.ResourceDeleted;
import meshlog.configstore.state.ConfigState;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.ResourceKey;
import meshlog.gitsync.GitSyncTest.ListLog;
import meshlog.gitsync.git.ConfigRepository;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing is deleted by accident: a VirtualService whose document is broken (a typo in its kind or group, YAML that
 * is no object any more) is not deleted by the commit that broke it; the commit is rejected at that document and
 * the last applied VirtualService stays. Removing the document deletes it.
 */
class AccidentalDeletionTest {

    static final ResourceKey VS = new ResourceKey("VirtualService", "demo", "echo");

    @TempDir
    Path dir;
    Git git;
    ListLog log = new ListLog();

    @BeforeEach
    void repositoryServingAVirtualService() throws Exception {
        git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        commit("svc.yaml", GitSyncTest.SE, "add echo");
        commit("vs.yaml", GitSyncTest.vs(100), "route echo");
        try (ConfigRepository repo = ConfigRepository.open(dir.toFile(), null)) {
            new GitSync("default", repo, log).pollOnce();
        }
        assertThat(ConfigState.replay(log.readAll()).resources()).containsKey(VS);
    }

    String commit(String file, String content, String message) throws Exception {
        Files.writeString(dir.resolve(file), content);
        git.add().addFilepattern(".").call();
        return git.commit().setMessage(message).setAuthor(new PersonIdent("Alice", "alice@example.com"))
                .setSign(false).call().name();
    }

    ConfigEvent lastEvent(String afterCommit) throws Exception {
        try (ConfigRepository repo = ConfigRepository.open(dir.toFile(), null)) {
            new GitSync("default", repo, log).pollOnce();
        }
        var last = log.commits.get(log.commits.size() - 1);
        assertThat(last.get(last.size() - 1).commit()).isEqualTo(afterCommit);
        return last.get(last.size() - 1);
    }

    @Test
    void aKindTypoInAKnownGroupIsAnErrorAtItsLineAndTheObjectStays() throws Exception {
        String typo = commit("vs.yaml", GitSyncTest.vs(100).replace("kind: VirtualService", "kind: VirtualServce"),
                "typo");
        ConfigEvent last = lastEvent(typo);

        assertThat(last).isInstanceOf(CommitRejected.class);
        assertThat(((CommitRejected) last).diagnostics()).extracting(Diagnostic::format).containsExactly(
                "vs.yaml:1:1: error [ML0007] VirtualServce demo/echo kind: networking.istio.io has no kind"
                        + " VirtualServce; did you mean VirtualService?");
        assertThat(ConfigState.replay(log.readAll()).resources()).containsKey(VS);
    }

    @Test
    void aGroupTypoWouldDeleteTheObjectSoItIsRejectedNamingFileAndLine() throws Exception {
        String typo = commit("vs.yaml", GitSyncTest.vs(100).replace("networking.istio.io", "networking.istio.oi"),
                "group typo");
        ConfigEvent last = lastEvent(typo);

        assertThat(last).isInstanceOf(CommitRejected.class);
        Diagnostic first = ((CommitRejected) last).diagnostics().get(0);
        assertThat(first.format()).isEqualTo("vs.yaml:1:1: error [GS0010] VirtualService demo/echo"
                + " VirtualService demo/echo was defined in vs.yaml and this commit no longer defines it: the"
                + " document here is ignored (networking.istio.oi/v1 VirtualService is not supported by meshlog"
                + " yet; it is ignored), so applying the commit would delete VirtualService demo/echo; fix the"
                + " document, or remove it to delete the object");
        assertThat(ConfigState.replay(log.readAll()).resources()).containsKey(VS);
    }

    @Test
    void aDocumentThatIsNoObjectAnyMoreDoesNotDeleteIt() throws Exception {
        // Indented by mistake under a key: valid YAML, but none of apiVersion, kind, metadata, spec at the top.
        String broken = commit("vs.yaml", "routing:\n" + GitSyncTest.vs(100).indent(2), "indent");
        ConfigEvent last = lastEvent(broken);

        assertThat(last).isInstanceOf(CommitRejected.class);
        assertThat(((CommitRejected) last).diagnostics().get(0).code()).isEqualTo("GS0010");
        assertThat(((CommitRejected) last).diagnostics().get(0).line()).isEqualTo(1);
    }

    @Test
    void removingTheDocumentStillDeletesTheObject() throws Exception {
        String gone = commit("vs.yaml", "# echo routing retired\n", "retire echo routing");
        ConfigEvent last = lastEvent(gone);

        assertThat(last).isInstanceOf(CommitApplied.class);
        assertThat(log.commits.get(log.commits.size() - 1)).contains(new ResourceDeleted("default", gone, VS));
        assertThat(ConfigState.replay(log.readAll()).resources()).doesNotContainKey(VS);
    }
}
